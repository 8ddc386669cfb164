package org.nhsv2.platform.api;

/**
 * A business rule said no. Travels as the details of a {@code CommandExecutionException}, so the edge
 * maps it the same way whether the command ran locally or on another node; the kind decides the HTTP
 * status, the code is the stable problem type.
 */
public interface Rejection {

    String code();

    Kind kind();

    String title();

    String detail();

    enum Kind {
        /** 404 */
        NOT_FOUND,
        /** 403 */
        FORBIDDEN,
        /** 409: conflicts with the current state */
        CONFLICT,
        /** 422: breaks a business rule */
        RULE_VIOLATION,
        /** 502: a system this service depends on refused or failed */
        DEPENDENCY_FAILED
    }
}

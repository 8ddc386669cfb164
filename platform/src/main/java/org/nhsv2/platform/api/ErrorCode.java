package org.nhsv2.platform.api;

/**
 * One entry of a service's catalogue of business errors, implemented by the service's error enum:
 * each constant holds its {@link Definition}, and the accessors come from here.
 */
public interface ErrorCode {

    /**
     * @param code  the stable code clients see as the problem type
     * @param kind  decides the HTTP status at the edge
     * @param title the problem's title
     */
    record Definition(String code, Rejection.Kind kind, String title) {
    }

    Definition definition();

    default String code() {
        return definition().code();
    }

    default Rejection.Kind kind() {
        return definition().kind();
    }

    default String title() {
        return definition().title();
    }
}

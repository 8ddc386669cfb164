package org.nhsv2.platform.problem;

import org.nhsv2.platform.api.Rejection;

/** A rejection of the platform's own: one with no domain type behind it. */
public record SimpleRejection(String code, Kind kind, String title, String detail) implements Rejection {

    public static SimpleRejection of(String code, Kind kind, String title) {
        return new SimpleRejection(code, kind, title, title);
    }
}

package org.nhsv2.platform.api;

/** A rejection named by an entry of the service's error catalogue, which gives its code, kind and title. */
public interface CodedRejection extends Rejection {

    ErrorCode error();

    @Override
    default String code() {
        return error().code();
    }

    @Override
    default Kind kind() {
        return error().kind();
    }

    @Override
    default String title() {
        return error().title();
    }
}

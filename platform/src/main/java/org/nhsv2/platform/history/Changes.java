package org.nhsv2.platform.history;

import org.nhsv2.platform.api.FieldChange;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Collects what one event set or changed, for a history entry; absent values are left out. */
public final class Changes {

    private final List<FieldChange> changes = new ArrayList<>();

    /** A value set for the first time; nothing if it is {@code null}. */
    public Changes set(String field, Object value) {
        if (value != null) {
            changes.add(new FieldChange(field, null, value.toString()));
        }
        return this;
    }

    /** A value that changed; nothing if it did not. */
    public Changes changed(String field, Object from, Object to) {
        if (!Objects.equals(from, to)) {
            changes.add(new FieldChange(field, Objects.toString(from, null), Objects.toString(to, null)));
        }
        return this;
    }

    public List<FieldChange> toList() {
        return List.copyOf(changes);
    }
}

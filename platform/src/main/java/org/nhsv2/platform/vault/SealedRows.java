package org.nhsv2.platform.vault;

import org.nhsv2.platform.vault.PersonalDataVault.RecordReader;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a projection's rows into the views a reader is given, opening their sealed fields only at that
 * moment: the keys of every patient a listing names are fetched in one query, and each row's fields
 * are opened as its own record's.
 *
 * @param <R> the row as stored, its personal fields sealed
 * @param <V> the view, its personal fields open
 */
public class SealedRows<R, V> {

    private final PersonalDataVault vault;
    private final Function<R, UUID> patientId;
    private final Function<R, UUID> recordId;
    private final BiFunction<R, RecordReader, V> view;

    /**
     * @param patientId whom a row is about: whose key opens it
     * @param recordId  the record (an appointment, a transaction) a row's values were sealed for
     * @param view      a row's view, its sealed fields opened with the reader it is given
     */
    public SealedRows(PersonalDataVault vault, Function<R, UUID> patientId, Function<R, UUID> recordId,
                      BiFunction<R, RecordReader, V> view) {
        this.vault = vault;
        this.patientId = patientId;
        this.recordId = recordId;
        this.view = view;
    }

    /** The views in the rows' order. */
    public List<V> open(List<R> rows) {
        Set<UUID> patients = rows.stream().map(patientId).collect(Collectors.toSet());
        PersonalDataVault.Reader reader = vault.readerFor(patients);
        return rows.stream()
                .map(row -> view.apply(row, reader.of(patientId.apply(row), recordId.apply(row))))
                .toList();
    }

    public V open(R row) {
        return open(List.of(row)).get(0);
    }
}

package org.nhsv2.platform.vault;

import org.nhsv2.platform.api.PatientPersonalDataErasedEvent;
import org.nhsv2.platform.eventstore.FieldAddedUpcaster;

/** Erasures recorded before the basis and reference were asked for (revision 1) read as revision 2 without them. */
class ErasureBasisUpcaster extends FieldAddedUpcaster {

    ErasureBasisUpcaster() {
        super(PatientPersonalDataErasedEvent.class, "1", "2", "basis", "reference");
    }
}

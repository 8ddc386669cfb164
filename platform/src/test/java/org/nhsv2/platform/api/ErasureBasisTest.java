package org.nhsv2.platform.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErasureBasisTest {

    /** A basis a newer version added, told in a contract, is no basis here: never a failure to erase. */
    @Test
    void shouldNameNoBasisForNoneOrOneOnlyANewerVersionKnows() {
        assertThat(ErasureBasis.named("DATA_SUBJECT_REQUEST")).contains(ErasureBasis.DATA_SUBJECT_REQUEST);
        assertThat(ErasureBasis.named("data_subject_request")).isEmpty();
        assertThat(ErasureBasis.named("ADDED_LATER")).isEmpty();
        assertThat(ErasureBasis.named(null)).isEmpty();
    }
}

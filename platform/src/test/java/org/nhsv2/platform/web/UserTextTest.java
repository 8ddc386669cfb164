package org.nhsv2.platform.web;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class UserTextTest {

    @Nested
    class SingleLine {

        @ParameterizedTest
        @ValueSource(strings = {"\u2003\u2003", "\u00a0", " \t ", "\u202f\u3000", ""})
        void shouldBeEmptyWhenTheTextHoldsOnlySpacesOfAnyKind(String spaces) {
            assertThat(UserText.singleLine(spaces)).isEmpty();
        }

        @Test
        void shouldCollapseRunsOfSpacesOfAnyKindToOneAndStripTheEnds() {
            assertThat(UserText.singleLine("\u00a0Ada\u2003\u2003 Lovelace\t")).isEqualTo("Ada Lovelace");
        }

        @Test
        void shouldComposeToNfcWhenTheTextIsDecomposed() {
            assertThat(UserText.singleLine("Zoe\u0308")).isEqualTo("Zo\u00eb");
        }

        @Test
        void shouldKeepNullAsNull() {
            assertThat(UserText.singleLine(null)).isNull();
        }
    }

    @Nested
    class MultiLine {

        @Test
        void shouldKeepLineBreaksAsLineFeedsAndStripTheEnds() {
            assertThat(UserText.multiLine("\n  Cough\r\nfor a week\rno fever \u2003\n")).isEqualTo("Cough\nfor a week\nno fever");
        }

        @Test
        void shouldTurnTabsIntoSpaces() {
            assertThat(UserText.multiLine("a\tb")).isEqualTo("a b");
        }
    }

    @Nested
    class ForbiddenCharacter {

        @ParameterizedTest
        @ValueSource(strings = {"A\u200bda", "\u202eevil", "Ada\u0000", "Ada\u0007", "\ufeffAda", "A\u2028da", "A\ue000da",
                "Ada\ud800", "A\u2066da", "A\u0085da"})
        void shouldNameTheCharacterWhenTheTextHoldsAControlOrInvisibleOne(String text) {
            assertThat(UserText.forbiddenCharacter(text, true)).isPresent()
                    .hasValueSatisfying(found -> assertThat(found).startsWith("U+"));
        }

        @Test
        void shouldNameTheFirstForbiddenCharacterByItsCodePoint() {
            assertThat(UserText.forbiddenCharacter("Ada\u200bLovelace", false)).contains("U+200B");
        }

        @Test
        void shouldRefuseALineBreakUnlessLineBreaksAreAllowed() {
            assertThat(UserText.forbiddenCharacter("a\nb", false)).contains("U+000A");
            assertThat(UserText.forbiddenCharacter("a\nb", true)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0915\u094d\u200d\u0937", "Zoë Øster",
                "山田 太郎", "O'Brien-Smith", "👩‍⚕️"})
        void shouldAllowJoinersBetweenLettersAndAnyScript(String text) {
            assertThat(UserText.forbiddenCharacter(text, false)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\u200cAda", "Ada\u200d", "A \u200c da"})
        void shouldRefuseAJoinerThatIsNotBetweenLetters(String text) {
            assertThat(UserText.forbiddenCharacter(text, false)).isPresent();
        }
    }
}

package org.nhsv2.platform.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FirewallRulesTest {

    @Test
    void shouldAllowExactlyTheCharactersSpringSecuritysExpressionsAllow() {
        int differences = 0;
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + Character.toString(codePoint) + "b";
            differences += FirewallRules.isName(text) == StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text) ? 0 : 1;
            differences += FirewallRules.isHeaderValue(text) == StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text) ? 0 : 1;
        }
        assertThat(differences).isZero();
    }

    @Test
    void shouldAnswerAsSpringSecurityForTabsSurrogatesAndWholeValues() {
        List<String> texts = List.of("", "\t", "Bearer eyJhbGciOi.eyJzdWIi.c2ln", "x\ty", "x\ny", "x\u0000", "\u007f",
                "\ud83c\udfe5 clinic", "\ud83c", "\udfe5", "x\ud83cy", "\u0378", "Ñandú 病院", "\u200b", "a\u0085b");
        for (String text : texts) {
            assertThat(FirewallRules.isName(text)).as(text).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text));
            assertThat(FirewallRules.isHeaderValue(text)).as(text)
                    .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text));
        }
        assertThat(FirewallRules.isHeaderValue("x\ty")).isTrue();
        assertThat(FirewallRules.isName("x\ty")).isFalse();
        assertThat(FirewallRules.isHeaderValue("x\u0000")).isFalse();
    }
}

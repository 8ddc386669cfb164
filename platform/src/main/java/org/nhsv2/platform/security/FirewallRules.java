package org.nhsv2.platform.security;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's {@link StrictHttpFirewall} with its own rules for header names, header values and
 * parameter names (assigned Unicode characters, no control characters, a tab allowed in a value), checked
 * character by character instead of by its regular expressions. The firewall checks a header again at every
 * read, and a request's headers are read many times (the bearer token alone three times), each a regular
 * expression over the whole value: 1.5 % of a service's CPU under a booking load, for kilobyte tokens.
 * {@code FirewallRulesTest} holds both to the same answer for every code point.
 */
final class FirewallRules {

    private FirewallRules() {
    }

    static StrictHttpFirewall strictFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(FirewallRules::isName);
        firewall.setAllowedHeaderValues(FirewallRules::isHeaderValue);
        firewall.setAllowedParameterNames(FirewallRules::isName);
        return firewall;
    }

    /** {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} */
    static boolean isName(String text) {
        return allowed(text, false);
    }

    /** {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*} */
    static boolean isHeaderValue(String text) {
        return allowed(text, true);
    }

    private static boolean allowed(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c >= ' ' && c < 0x7f) {
                // Printable ASCII, what a token and nearly every header is made of
                i++;
                continue;
            }
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL && !(tab && codePoint == '\t')) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}

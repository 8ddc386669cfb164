package org.nhsv2.platform.web;

import java.util.regex.Pattern;

/**
 * Whether an address is worth handing to a provider: one plain {@code local@domain.tld}, no display name,
 * list or line break (which could add recipients or headers). Deliberately stricter than RFC 5322: a
 * quoted local part or an address literal is refused rather than sent.
 */
public final class Recipients {

    private static final int MAX_LENGTH = 254;
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    private Recipients() {
    }

    public static boolean isDeliverable(String address) {
        return address != null && address.length() <= MAX_LENGTH && address.indexOf('@') <= 64
                && ADDRESS.matcher(address).matches();
    }
}

package org.nhsv2.notification.template;

import org.nhsv2.contracts.EmailTemplate;

import java.math.BigDecimal;
import java.net.URI;
import java.text.NumberFormat;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.nhsv2.contracts.EmailTemplate.AMOUNT;
import static org.nhsv2.contracts.EmailTemplate.CHECKOUT_URL;
import static org.nhsv2.contracts.EmailTemplate.CURRENCY;
import static org.nhsv2.contracts.EmailTemplate.END;
import static org.nhsv2.contracts.EmailTemplate.EXPIRES_AT;
import static org.nhsv2.contracts.EmailTemplate.PAID_AT;
import static org.nhsv2.contracts.EmailTemplate.PREVIOUS_START;
import static org.nhsv2.contracts.EmailTemplate.REFUNDED_AT;
import static org.nhsv2.contracts.EmailTemplate.START;
import static org.nhsv2.contracts.EmailTemplate.ZONE;

/**
 * A request's model as its template shows it, checked first: every required value present, times as
 * ISO-8601 instants shown in the model's zone (UTC without one), amounts in minor units of an ISO 4217
 * currency, links over HTTP(S). Dates read the British way: "Tuesday 1 December 2026, 09:00 (GMT)".
 */
final class EmailModel {

    private static final Locale ENGLISH = Locale.UK;
    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", ENGLISH);
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("zzz", ENGLISH);
    private static final ZoneId UTC = ZoneId.of("UTC");

    private final EmailTemplate template;
    private final Map<String, String> values;
    private final ZoneId zone;

    private EmailModel(EmailTemplate template, Map<String, String> values, ZoneId zone) {
        this.template = template;
        this.values = values;
        this.zone = zone;
    }

    static EmailModel of(EmailTemplate template, Map<String, String> values) {
        List<String> missing = new ArrayList<>();
        for (String key : template.requiredKeys()) {
            String value = values.get(key);
            if (value == null || value.isBlank()) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidEmailRequestException("the model lacks " + String.join(", ", missing));
        }
        return new EmailModel(template, values, zone(values.get(ZONE)));
    }

    /** What the templates read: each required value, formatted; the appointment's start and end as {@code when}. */
    Map<String, Object> variables() {
        Map<String, Object> variables = new HashMap<>();
        for (String key : template.requiredKeys()) {
            switch (key) {
                case START -> variables.put("when", period());
                case END, ZONE, CURRENCY -> {
                    // shown with the start and the amount
                }
                case PREVIOUS_START, EXPIRES_AT, PAID_AT, REFUNDED_AT -> variables.put(key, dateTime(key));
                case AMOUNT -> variables.put(key, amount());
                case CHECKOUT_URL -> variables.put(key, link(key));
                default -> variables.put(key, values.get(key).strip());
            }
        }
        return variables;
    }

    /** What the subject names: when the appointment is, or how much. */
    String subjectValue() {
        return template.requiredKeys().contains(START) ? dateTime(START) : amount();
    }

    /** "Tuesday 1 December 2026, 09:00 (GMT)". */
    String dateTime(String key) {
        ZonedDateTime time = instant(key).atZone(zone);
        return DAY_AND_TIME.format(time) + " (" + ZONE_NAME.format(time) + ")";
    }

    /** "Tuesday 1 December 2026, 09:00 to 09:30 (GMT)"; both in full when the end is on another day. */
    private String period() {
        ZonedDateTime start = instant(START).atZone(zone);
        ZonedDateTime end = instant(END).atZone(zone);
        if (!end.isAfter(start)) {
            throw new InvalidEmailRequestException("the model's " + END + " is not after its " + START);
        }
        String startZone = ZONE_NAME.format(start);
        if (start.toLocalDate().equals(end.toLocalDate()) && startZone.equals(ZONE_NAME.format(end))) {
            return DAY_AND_TIME.format(start) + " to " + TIME.format(end) + " (" + startZone + ")";
        }
        return dateTime(START) + " to " + dateTime(END);
    }

    /** "£70.00" from 7000 and GBP; "JP¥500" from 500 and JPY, which has no minor unit. */
    private String amount() {
        Currency currency = currency(values.get(CURRENCY).strip());
        long minorUnits;
        try {
            minorUnits = Long.parseLong(values.get(AMOUNT).strip());
        } catch (NumberFormatException e) {
            throw new InvalidEmailRequestException("the model's " + AMOUNT + " is not a whole number of minor units");
        }
        if (minorUnits < 0) {
            throw new InvalidEmailRequestException("the model's " + AMOUNT + " is negative");
        }
        int digits = currency.getDefaultFractionDigits();
        NumberFormat format = NumberFormat.getCurrencyInstance(ENGLISH);
        format.setCurrency(currency);
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        return format.format(BigDecimal.valueOf(minorUnits, digits));
    }

    private String link(String key) {
        String value = values.get(key).strip();
        try {
            URI uri = new URI(value);
            if (("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null) {
                return uri.toString();
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw new InvalidEmailRequestException("the model's " + key + " is not an http(s) link");
    }

    private Instant instant(String key) {
        try {
            return Instant.parse(values.get(key).strip());
        } catch (DateTimeParseException e) {
            throw new InvalidEmailRequestException("the model's " + key + " is not an ISO-8601 instant");
        }
    }

    private static ZoneId zone(String id) {
        if (id == null || id.isBlank()) {
            return UTC;
        }
        try {
            return ZoneId.of(id.strip());
        } catch (DateTimeException e) {
            throw new InvalidEmailRequestException("the model's " + ZONE + " is not a time zone id");
        }
    }

    private static Currency currency(String code) {
        try {
            Currency currency = Currency.getInstance(code);
            if (code.equals(currency.getCurrencyCode()) && currency.getDefaultFractionDigits() >= 0) {
                return currency;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new InvalidEmailRequestException("the model's " + CURRENCY + " is not an ISO 4217 currency code");
    }
}

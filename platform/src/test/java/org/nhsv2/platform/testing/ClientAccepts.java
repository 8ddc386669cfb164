package org.nhsv2.platform.testing;

import java.util.List;

/** Accept headers real clients send; "" stands for none at all (Java's HttpClient, many libraries). */
public final class ClientAccepts {

    public static final String CHROME = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
            + "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
    public static final String FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    public static final String SAFARI = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    /** A browser opening a page (or a link to a feed or a document). */
    public static final List<String> BROWSERS = List.of(CHROME, FIREFOX, SAFARI);
    /** curl, scripts and HTTP libraries. */
    public static final List<String> TOOLS = List.of("", "*/*", "application/json", "application/json;charset=UTF-8",
            "application/json; charset=utf-8", "application/json, */*;q=0.5");
    /** Calendar applications subscribing to an iCalendar feed. */
    public static final List<String> CALENDARS = List.of("", "*/*", "text/calendar", "text/calendar;charset=utf-8",
            "text/calendar, */*;q=0.8", "text/calendar,text/plain;q=0.9,*/*;q=0.5");

    private ClientAccepts() {
    }
}

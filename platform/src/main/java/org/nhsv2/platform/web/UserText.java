package org.nhsv2.platform.web;

import java.text.Normalizer;
import java.util.Optional;

/**
 * Text as people type it, made comparable and safe to store: Unicode NFC, every kind of space (the
 * non-breaking and typographic ones too) counted as a space, and the ends stripped, so a name of
 * only em spaces is blank and is refused as blank. What has no place in a name or a reason is
 * refused, not silently dropped: control characters, invisible format characters (zero-width space,
 * bidirectional overrides that reorder what a reader sees, byte-order marks), line and paragraph
 * separators, private-use and unpaired surrogate code points. Zero-width joiner and non-joiner stay
 * allowed between letters (Persian and Indic scripts need them) and between symbols (emoji sequences).
 */
public final class UserText {

    private static final int ZERO_WIDTH_NON_JOINER = 0x200C;
    private static final int ZERO_WIDTH_JOINER = 0x200D;

    private UserText() {
    }

    /** One line: runs of spaces become one space. {@code null} stays {@code null}. */
    public static String singleLine(String raw) {
        if (raw == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        boolean pendingSpace = false;
        String normalized = Normalizer.normalize(raw, Normalizer.Form.NFC);
        for (int i = 0; i < normalized.length(); ) {
            int codePoint = normalized.codePointAt(i);
            i += Character.charCount(codePoint);
            if (isSpace(codePoint)) {
                pendingSpace = !text.isEmpty();
                continue;
            }
            if (pendingSpace) {
                text.append(' ');
                pendingSpace = false;
            }
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    /**
     * Several lines: line breaks kept (CR LF and CR become LF), tabs become spaces, spaces and line
     * breaks at the ends of the text stripped.
     */
    public static String multiLine(String raw) {
        if (raw == null) {
            return null;
        }
        String normalized = Normalizer.normalize(raw, Normalizer.Form.NFC).replace("\r\n", "\n").replace('\r', '\n').replace('\t', ' ');
        int start = 0;
        int end = normalized.length();
        while (start < end && (isSpace(normalized.codePointAt(start)) || normalized.charAt(start) == '\n')) {
            start += Character.charCount(normalized.codePointAt(start));
        }
        while (end > start && (isSpace(normalized.codePointBefore(end)) || normalized.charAt(end - 1) == '\n')) {
            end -= Character.charCount(normalized.codePointBefore(end));
        }
        return normalized.substring(start, end);
    }

    /** The first character that has no place in the text, described for an error message. */
    public static Optional<String> forbiddenCharacter(String text, boolean lineBreaksAllowed) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int next = i + Character.charCount(codePoint);
            if (isForbidden(codePoint, lineBreaksAllowed) && !isJoinerBetweenLetters(text, codePoint, i, next)) {
                return Optional.of(String.format("U+%04X", codePoint));
            }
            i = next;
        }
        return Optional.empty();
    }

    private static boolean isSpace(int codePoint) {
        return codePoint == '\t' || Character.getType(codePoint) == Character.SPACE_SEPARATOR;
    }

    private static boolean isForbidden(int codePoint, boolean lineBreaksAllowed) {
        if (codePoint == '\n') {
            return !lineBreaksAllowed;
        }
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.PRIVATE_USE, Character.SURROGATE -> true;
            default -> codePoint == 0xFFFE || codePoint == 0xFFFF;
        };
    }

    private static boolean isJoinerBetweenLetters(String text, int codePoint, int at, int next) {
        if (codePoint != ZERO_WIDTH_NON_JOINER && codePoint != ZERO_WIDTH_JOINER) {
            return false;
        }
        return at > 0 && next < text.length()
                && isJoinable(text.codePointBefore(at)) && isJoinable(text.codePointAt(next));
    }

    private static boolean isJoinable(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isLetter(codePoint) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.OTHER_SYMBOL;
    }
}

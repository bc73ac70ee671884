package io.emostream.ingest.feed;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the dates feeds give: RFC 822 ({@code Tue, 05 Mar 2024 10:00:00 GMT}) in RSS, ISO 8601 in Atom, and what
 * feeds really write instead. The day name is ignored (feeds often get it wrong), months may be spelt out
 * ({@code Sept}, {@code September}), seconds and the zone may be missing (missing means UTC), two-digit years are
 * read as RFC 2822 says, and zone abbreviations other than the RFC's (and a few common ones) count as UTC, as
 * RFC 2822 section 4.3 asks.
 */
public final class PubDates {
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final Map<String, Integer> ZONE_HOURS = Map.ofEntries(
            Map.entry("UT", 0), Map.entry("UTC", 0), Map.entry("GMT", 0), Map.entry("Z", 0),
            Map.entry("EST", -5), Map.entry("EDT", -4), Map.entry("CST", -6), Map.entry("CDT", -5),
            Map.entry("MST", -7), Map.entry("MDT", -6), Map.entry("PST", -8), Map.entry("PDT", -7),
            Map.entry("BST", 1), Map.entry("CET", 1), Map.entry("CEST", 2), Map.entry("EET", 2), Map.entry("EEST", 3),
            Map.entry("JST", 9), Map.entry("AEST", 10), Map.entry("AEDT", 11));

    private PubDates() {
    }

    /** The instant {@code text} names, or null when it cannot be read as a date. */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.strip();
        Instant iso = iso8601(trimmed);
        return iso != null ? iso : rfc822(trimmed);
    }

    private static Instant iso8601(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // not a full ISO 8601 date-time; perhaps a bare date
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant rfc822(String text) {
        List<String> tokens = new ArrayList<>(Arrays.asList(text.replace(',', ' ').trim().split("\\s+")));
        if (!tokens.isEmpty() && tokens.get(0).chars().allMatch(Character::isLetter) && month(tokens.get(0)) < 0) {
            tokens.remove(0); // the day name
        }
        if (tokens.size() < 3) {
            return null;
        }
        // "Mar 5 2024" as well as "5 Mar 2024"
        if (month(tokens.get(0)) > 0 && month(tokens.get(1)) < 0) {
            Collections.swap(tokens, 0, 1);
        }
        try {
            int day = Integer.parseInt(tokens.get(0));
            int month = month(tokens.get(1));
            int year = Integer.parseInt(tokens.get(2));
            if (month < 0) {
                return null;
            }
            if (tokens.get(2).length() <= 2) {
                year += year < 50 ? 2000 : 1900;
            }
            int hour = 0;
            int minute = 0;
            int second = 0;
            int next = 3;
            if (tokens.size() > next && tokens.get(next).contains(":")) {
                String[] time = tokens.get(next).split(":");
                if (time.length < 2) {
                    return null;
                }
                hour = Integer.parseInt(time[0]);
                minute = Integer.parseInt(time[1]);
                // a fraction of a second, which some feeds add, is dropped
                second = time.length > 2 ? Integer.parseInt(time[2].replaceFirst("\\..*", "")) : 0;
                next++;
            }
            ZoneOffset offset = tokens.size() > next ? offset(tokens.get(next)) : ZoneOffset.UTC;
            if (offset == null) {
                return null;
            }
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(offset);
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    /** 1 to 12 for a month's name or its abbreviation, -1 for anything else. */
    private static int month(String token) {
        String lower = token.toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
        if (lower.length() < 3 || !lower.chars().allMatch(Character::isLetter)) {
            return -1;
        }
        int index = MONTHS.indexOf(lower.substring(0, 3));
        return index < 0 ? -1 : index + 1;
    }

    private static ZoneOffset offset(String zone) {
        if (zone.matches("[+-]\\d{2}:?\\d{2}")) {
            int sign = zone.charAt(0) == '-' ? -1 : 1;
            String digits = zone.substring(1).replace(":", "");
            return ZoneOffset.ofHoursMinutes(sign * Integer.parseInt(digits.substring(0, 2)),
                    sign * Integer.parseInt(digits.substring(2)));
        }
        if (zone.chars().allMatch(Character::isLetter)) {
            return ZoneOffset.ofHours(ZONE_HOURS.getOrDefault(zone.toUpperCase(Locale.ROOT), 0));
        }
        return null;
    }
}

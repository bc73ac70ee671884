package io.emostream.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PubDatesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Tue, 05 Mar 2024 10:00:00 GMT          | 2024-03-05T10:00:00Z
            Tue, 5 Mar 2024 10:00:00 +0100         | 2024-03-05T09:00:00Z
            Fri, 05 Mar 2024 10:00:00 GMT          | 2024-03-05T10:00:00Z
            05 Mar 2024 10:00 EST                  | 2024-03-05T15:00:00Z
            Tuesday, 05 March 2024 10:00:00 PDT    | 2024-03-05T17:00:00Z
            Tue, 05 Sept 2023 10:00:00 -0330       | 2023-09-05T13:30:00Z
            Tue, 05 Mar 24 10:00:00 GMT            | 2024-03-05T10:00:00Z
            Fri, 01 Jan 99 00:00:00 GMT            | 1999-01-01T00:00:00Z
            Tue, 05 Mar 2024                       | 2024-03-05T00:00:00Z
            Tue, 05 Mar 2024 10:00:00 CET          | 2024-03-05T09:00:00Z
            Tue, 05 Mar 2024 10:00:00 XYZ          | 2024-03-05T10:00:00Z
            Mar 5 2024 10:00:00 GMT                | 2024-03-05T10:00:00Z
            Tue, 05 Mar 2024 10:00:00.500 +02:00   | 2024-03-05T08:00:00Z
            tue, 05 mar 2024 10:00:00 gmt          | 2024-03-05T10:00:00Z
            '  Tue,  05 Mar 2024  10:00:00  GMT '  | 2024-03-05T10:00:00Z
            2024-03-05T10:00:00+01:00              | 2024-03-05T09:00:00Z
            2024-03-05T10:00:00Z                   | 2024-03-05T10:00:00Z
            2024-03-05                             | 2024-03-05T00:00:00Z
            """)
    void readsWhatFeedsWrite(String text, String expected) {
        assertThat(PubDates.parse(text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "Tue, 31 Feb 2024 10:00:00 GMT", "Tue, 05 Foo 2024 10:00:00 GMT",
            "Tue, 05 Mar 2024 25:00:00 GMT", "Tue, 05 Mar 2024 10 GMT", "Tue, 05 Mar 2024 10:00:00 +1", "05 Mar"})
    void whatCannotBeReadIsNull(String text) {
        assertThat(PubDates.parse(text)).isNull();
    }
}

package io.emostream.ingest.live;

import io.emostream.ingest.InvalidInputException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Source addresses a port accepts calls from: IP addresses and CIDR ranges ({@code 10.1.2.3}, {@code 10.0.0.0/8},
 * {@code fd00::/8}), or {@code any}. AudioSocket and SIPREC have no authentication of their own, so on a reachable
 * interface this is what keeps strangers from streaming calls in. {@link #ANY}, the list nobody configured, allows
 * every address.
 */
public final class SourceAllowList {
    public static final SourceAllowList ANY = new SourceAllowList(List.of(), "");

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private record Range(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixBits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> ranges;
    private final String text;

    private SourceAllowList(List<Range> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /**
     * Parses a comma-separated list of addresses and CIDR ranges, or {@code any} (every IPv4 and IPv6 address,
     * said on purpose). Host names are refused: they would be resolved once, at start, and silently go stale.
     */
    public static SourceAllowList parse(String commaSeparated) {
        List<Range> ranges = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (String raw : commaSeparated.split(",")) {
            String entry = raw.strip();
            if (entry.equalsIgnoreCase("any")) {
                ranges.add(new Range(new byte[4], 0));
                ranges.add(new Range(new byte[16], 0));
                entries.add("any");
            } else if (!entry.isEmpty()) {
                ranges.add(range(entry));
                entries.add(entry);
            }
        }
        if (ranges.isEmpty()) {
            throw new InvalidInputException("the allow-list '" + commaSeparated + "' names no address; give addresses"
                    + " or CIDR ranges such as 10.0.0.5,10.1.0.0/16, or any");
        }
        return new SourceAllowList(List.copyOf(ranges), String.join(",", entries));
    }

    /** Whether someone gave a list (possibly {@code any}), rather than nobody. */
    public boolean isConfigured() {
        return !ranges.isEmpty();
    }

    public boolean allows(InetAddress address) {
        if (ranges.isEmpty()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        return ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    /** The list as it was given, normalised to comma-separated entries; empty for any address. */
    @Override
    public String toString() {
        return text;
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        boolean ipv4 = IPV4.matcher(host).matches();
        boolean ipv6 = !ipv4 && host.indexOf(':') >= 0;
        if (!ipv4 && !ipv6 || ipv4 && Arrays.stream(host.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)) {
            throw invalid(entry);
        }
        byte[] network;
        try {
            // An IP literal by now, and brackets mark an IPv6 one as such: getByName does not look it up.
            network = InetAddress.getByName(ipv6 ? "[" + host + "]" : host).getAddress();
        } catch (UnknownHostException e) {
            throw invalid(entry);
        }
        int prefix = network.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw invalid(entry);
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw invalid(entry);
            }
        }
        return new Range(network, prefix);
    }

    private static InvalidInputException invalid(String entry) {
        return new InvalidInputException("allow-list entry '" + entry
                + "' is not an IP address or CIDR range such as 10.0.0.5 or 10.0.0.0/8");
    }
}

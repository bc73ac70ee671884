package io.emostream.ingest.siprec;

import io.emostream.ingest.InvalidInputException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses SIP requests and RTP are taken from: single addresses or CIDR blocks, IPv4 or IPv6. SIPREC has no
 * authentication of its own that SBCs use, so a server on a non-local interface needs one: the SBCs' addresses,
 * or {@code any} to take every source (behind a firewall that does the same). Empty means not configured.
 */
public record SourceAllowList(List<Block> blocks) {
    public static final SourceAllowList NOT_CONFIGURED = new SourceAllowList(List.of());

    /** One address block: the first {@code prefix} bits of {@code network}. */
    public record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    public SourceAllowList {
        blocks = List.copyOf(blocks);
    }

    /** From an option value: {@code 10.0.0.5,10.1.0.0/16,2001:db8::/32}, or {@code any}. */
    public static SourceAllowList parse(String value) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : value.split(",")) {
            String text = entry.strip();
            if (text.equalsIgnoreCase("any")) {
                blocks.add(new Block(new byte[4], 0));
                blocks.add(new Block(new byte[16], 0));
            } else if (!text.isEmpty()) {
                blocks.add(block(text));
            }
        }
        if (blocks.isEmpty()) {
            throw new InvalidInputException("the SIPREC source allow-list '" + value + "' names no address; give the "
                    + "SBCs' addresses or blocks, e.g. 10.0.0.5,10.1.0.0/16, or any");
        }
        return new SourceAllowList(blocks);
    }

    public boolean isConfigured() {
        return !blocks.isEmpty();
    }

    /** Whether requests and media from this address are taken; everything is while the list is not configured. */
    public boolean allows(InetAddress address) {
        return blocks.isEmpty() || blocks.stream().anyMatch(b -> b.contains(address.getAddress()));
    }

    private static Block block(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        // Only literal addresses: a host name here would mean a DNS lookup, and a list that changes with it.
        if (!address.matches("[0-9a-fA-F:.]+")) {
            throw new InvalidInputException("'" + text + "' in the SIPREC source allow-list is not an IP address or "
                    + "CIDR block such as 10.1.0.0/16");
        }
        byte[] network;
        try {
            network = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new InvalidInputException("'" + text + "' in the SIPREC source allow-list is not an IP address", e);
        }
        int prefix = network.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new InvalidInputException("'" + text + "' in the SIPREC source allow-list has a prefix length "
                        + "outside 0-" + network.length * 8);
            }
        }
        return new Block(network, prefix);
    }
}

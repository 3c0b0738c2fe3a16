package io.tidepool.store.ratis;

/** A member of the store's Raft group: its id and its Raft address, {@code host:port}. */
public record Peer(String id, String address) {
    public Peer {
        if (id == null || id.isBlank() || !id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("peer id must be letters, digits, '.', '_' or '-': " + id);
        }
        if (address == null || address.lastIndexOf(':') <= 0) {
            throw new IllegalArgumentException("peer address must be host:port, not " + address);
        }
        int port = parsePort(address);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("peer port out of range in " + address);
        }
    }

    public String host() {
        return address.substring(0, address.lastIndexOf(':'));
    }

    public int port() {
        return parsePort(address);
    }

    private static int parsePort(String address) {
        try {
            return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer address must end in a port number: " + address, e);
        }
    }
}

package io.durableops.admin.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where to go after sign-in: only a path of this UI, never another site. Browsers drop tabs, line breaks and other
 * control characters from URLs ({@code /<TAB>/evil.example} becomes {@code //evil.example}) and read a backslash as a
 * slash, so a value with any of them, or with anything but printable ASCII, goes home instead; so does one whose
 * path, once decoded, climbs out of the UI with {@code ..}.
 */
final class ReturnPath {
    private ReturnPath() {
    }

    static String safe(String next, String base) {
        String home = base.isEmpty() ? "/" : base + "/";
        if (next == null || next.isEmpty() || next.length() > 2000) return home;
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') return home;
        }
        if (next.startsWith("//") || !(next.equals(base) || next.startsWith(home))) return home;
        URI uri;
        try {
            uri = new URI(next);
        } catch (URISyntaxException e) {
            return home;
        }
        if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null) return home;
        String path;
        try {
            path = URLDecoder.decode(uri.getRawPath().replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return home;
        }
        if (path.contains("\\") || path.startsWith("//") || path.contains("/../") || path.endsWith("/..")
                || path.contains("/./") || path.endsWith("/.") || path.contains("//")) {
            return home;
        }
        return next;
    }
}

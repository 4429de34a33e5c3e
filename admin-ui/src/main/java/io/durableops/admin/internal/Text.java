package io.durableops.admin.internal;

/**
 * User-provided text made safe to read, not only to render: escaped for HTML, isolated in {@code <bdi>} so that
 * right-to-left text cannot reorder what surrounds it, and with every control character shown as a visible mark
 * ({@code [U+202E]}) instead of acting. The bidi overrides and isolates are what let {@code invoice\u202Etxt.exe} show
 * as {@code invoiceexe.txt}; zero-width and other invisible characters make two different values look the same.
 * Tabs and line breaks stay as they are (stack traces need them).
 */
final class Text {
    private Text() {
    }

    /** Whether {@code c} is shown as a mark rather than as itself. */
    static boolean isHidden(int c) {
        if (c == '\n' || c == '\t' || c == '\r') return false;
        if (c < 0x20 || c >= 0x7f && c < 0xa0) return true;                 // C0 and C1 controls, DEL
        return c == 0x061c || c == 0x200e || c == 0x200f                      // bidi marks
                || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069   // bidi embeddings, overrides, isolates
                || c == 0x200b || c >= 0x2060 && c <= 0x2064 || c == 0xfeff   // zero-width space, joiners aside; BOM
                || c == 0x00ad || c == 0x180e || c == 0x2028 || c == 0x2029  // soft hyphen, separators
                || c >= 0xfff9 && c <= 0xfffb;                                // interlinear annotation controls
    }

    static String mark(int c) {
        return String.format("[U+%04X]", c);
    }

    /** Escaped HTML: the text in a {@code <bdi>}, each hidden character as a marked {@code <span class="ctl">}. */
    static String html(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16).append("<bdi>");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (isHidden(c)) out.append("<span class=\"ctl\">").append(mark(c)).append("</span>");
                    else out.appendCodePoint(c);
                }
            }
        });
        return out.append("</bdi>").toString();
    }

    /** Plain text with each hidden character replaced by its mark, for places that hold no markup (an option). */
    static String plain(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (isHidden(c)) out.append(mark(c));
            else out.appendCodePoint(c);
        });
        return out.toString();
    }

    /** At most {@code max} characters: a longer text is cut and says how much was left out. */
    static String clip(String text, int max) {
        if (text.length() <= max) return text;
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + " … (" + count(text.length() - end) + " more characters)";
    }

    /** 1,000,000: a count as the UI's messages write it, whatever the server's locale. */
    static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}

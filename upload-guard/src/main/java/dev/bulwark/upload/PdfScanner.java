package dev.bulwark.upload;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Streams through a PDF looking for the names that make it active: {@code /JavaScript} (JavaScript actions and the
 * document-level JavaScript name tree), {@code /EmbeddedFile(s)} and {@code /FileAttachment}, {@code /Launch} and
 * {@code /RichMedia}. Names are decoded ({@code /J#61vaScript} is {@code /JavaScript}) and every stream that is
 * Flate-compressed (object streams hide dictionaries there) is inflated and searched too, within a budget.
 *
 * <p>This is a scanner, not a PDF parser: it can over-report (a matching name in an uncompressed content stream),
 * never under-report for names in plain or Flate-compressed objects. Other filters (LZW, ASCII85, ...) of object
 * streams are not decoded; a PDF whose streams inflate beyond the budget is refused as malformed.
 */
final class PdfScanner implements TeeInput.Observer {
    private final boolean allowJavaScript;
    private final boolean allowEmbeddedFiles;
    private final long inflateBudget;

    private final NameScanner raw = new NameScanner();
    private final NameScanner inflated = new NameScanner();
    private final byte[] out = new byte[16 * 1024];
    private long window;          // the last 8 raw bytes, for keyword detection
    private boolean inStream;
    private int eolState;         // 1 = just saw "stream", 2 = saw "stream\r"
    private Inflater inflater;
    private long inflatedTotal;
    private UploadRejected rejection;

    private static final long STREAM = word("stream");
    private static final long NDSTREAM = word("ndstream");

    PdfScanner(boolean allowJavaScript, boolean allowEmbeddedFiles, long inflateBudget) {
        this.allowJavaScript = allowJavaScript;
        this.allowEmbeddedFiles = allowEmbeddedFiles;
        this.inflateBudget = inflateBudget;
    }

    @Override
    public void accept(byte[] b, int off, int len) {
        if (rejection != null) return;
        int end = off + len;
        int inflateFrom = inStream ? off : -1;
        for (int i = off; i < end; i++) {
            int c = b[i] & 0xFF;
            raw.accept(c);
            window = (window << 8) | c;
            if (eolState != 0) {
                if (eolState == 1 && c == '\r') {
                    eolState = 2;
                    continue;
                }
                boolean starts = c == '\n' || eolState == 2;
                eolState = 0;
                if (starts) {
                    inStream = true;
                    inflater = new Inflater();
                    // with a bare CR the data starts at this byte; after CRLF or LF at the next one
                    inflateFrom = (c == '\n') ? i + 1 : i;
                }
                continue;
            }
            if (!inStream && (window & 0xFFFF_FFFF_FFFFL) == STREAM && ((window >>> 48) & 0xFF) != 'd') {
                eolState = 1;
            } else if (inStream && window == NDSTREAM) {
                int stop = Math.max(inflateFrom, i + 1 - 9);
                if (inflateFrom >= 0) inflate(b, inflateFrom, stop - inflateFrom);
                endStream();
                inflateFrom = -1;
            }
            if (rejection == null) rejection = verdict();
            if (rejection != null) return;
        }
        if (inStream && inflateFrom >= 0 && inflateFrom < end) inflate(b, inflateFrom, end - inflateFrom);
        if (rejection == null) rejection = verdict();
    }

    private void inflate(byte[] b, int off, int len) {
        if (inflater == null || len <= 0) return;
        inflater.setInput(b, off, len);
        try {
            while (!inflater.finished() && !inflater.needsInput() && !inflater.needsDictionary()) {
                int n = inflater.inflate(out);
                if (n == 0 && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) break;
                inflatedTotal += n;
                if (inflatedTotal > inflateBudget) {
                    rejection = new UploadRejected(UploadRejected.Reason.MALFORMED_CONTENT,
                            "the PDF's compressed streams expand beyond " + inflateBudget + " bytes");
                    endInflater();
                    return;
                }
                for (int k = 0; k < n; k++) inflated.accept(out[k] & 0xFF);
            }
            if (inflater.finished() || inflater.needsDictionary()) endInflater();
        } catch (DataFormatException notFlate) {
            // Not Flate data (an image, another filter): the raw scan already covered its bytes.
            endInflater();
        }
    }

    private void endStream() {
        inStream = false;
        endInflater();
        inflated.accept(' ');
    }

    private void endInflater() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    private UploadRejected verdict() {
        int found = raw.found | inflated.found;
        if ((found & NameScanner.ACTIVE) != 0) {
            return new UploadRejected(UploadRejected.Reason.PDF_ACTIVE_CONTENT);
        }
        if (!allowJavaScript && (found & NameScanner.JAVASCRIPT) != 0) {
            return new UploadRejected(UploadRejected.Reason.PDF_JAVASCRIPT);
        }
        if (!allowEmbeddedFiles && (found & NameScanner.EMBEDDED) != 0) {
            return new UploadRejected(UploadRejected.Reason.PDF_EMBEDDED_FILE);
        }
        return null;
    }

    /** Called at the end: releases the native inflater if a stream was left open (truncated PDF). */
    void finish() {
        endInflater();
    }

    @Override
    public UploadRejected rejection() {
        return rejection;
    }

    private static long word(String s) {
        long w = 0;
        for (int i = 0; i < s.length(); i++) w = (w << 8) | s.charAt(i);
        return w;
    }

    /** Recognises PDF name tokens ("/Name", with #xx escapes) and records the flagged ones. */
    static final class NameScanner {
        static final int JAVASCRIPT = 1;
        static final int EMBEDDED = 2;
        static final int ACTIVE = 4;
        private static final int MAX = 32;

        private final char[] name = new char[MAX];
        private int length = -1;   // -1: not in a name
        private int hex = -1;      // -1: not in an escape; else number of hex digits read
        private int hexValue;
        private boolean overflow;
        int found;

        void accept(int c) {
            if (length < 0) {
                if (c == '/') start();
                return;
            }
            if (hex >= 0) {
                int d = Character.digit(c, 16);
                if (d < 0) {
                    // malformed escape: end the name here, re-examine this byte
                    finishName();
                    if (c == '/') start();
                    return;
                }
                hexValue = hexValue * 16 + d;
                if (++hex == 2) {
                    hex = -1;
                    append(hexValue);
                }
                return;
            }
            if (isDelimiter(c)) {
                finishName();
                if (c == '/') start();
                return;
            }
            if (c == '#') {
                hex = 0;
                hexValue = 0;
                return;
            }
            append(c);
        }

        private void start() {
            length = 0;
            hex = -1;
            overflow = false;
        }

        private void append(int c) {
            if (length >= MAX) {
                overflow = true;
                return;
            }
            name[length++] = (char) c;
        }

        private void finishName() {
            if (!overflow) {
                String n = new String(name, 0, length);
                switch (n) {
                    case "JavaScript": found |= JAVASCRIPT; break;
                    case "EmbeddedFile": case "EmbeddedFiles": case "FileAttachment": found |= EMBEDDED; break;
                    case "Launch": case "RichMedia": found |= ACTIVE; break;
                    default: break;
                }
            }
            length = -1;
            hex = -1;
        }

        private static boolean isDelimiter(int c) {
            switch (c) {
                case 0: case '\t': case '\n': case '\f': case '\r': case ' ':
                case '(': case ')': case '<': case '>': case '[': case ']': case '{': case '}': case '/': case '%':
                    return true;
                default:
                    return false;
            }
        }
    }
}

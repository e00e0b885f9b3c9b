package dev.bulwark.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the upload exactly once. Every byte read is counted against the size limit (never more than limit + 1 bytes
 * are requested from the source), copied to the sink (the encrypting temp file, or nowhere), remembered in a
 * fixed-size tail window and shown to the streaming scanners. Memory use is constant.
 *
 * <p>Readers layered on top (ZIP, XML) may wrap the exceptions thrown here, so the state is also kept in flags the
 * inspection consults after any failure.
 */
final class TeeInput extends InputStream {

    /** Something that looks at every byte as it streams past. */
    interface Observer {
        void accept(byte[] b, int off, int len);

        /** A rejection found so far, or null. */
        UploadRejected rejection();
    }

    /** Thrown to stop reading; never escapes the guard. */
    static final class Stop extends IOException {
        private static final long serialVersionUID = 1L;

        Stop(String message) {
            super(message, null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private final InputStream source;
    private final OutputStream sink;
    private final long limit;
    private final Tail tail = new Tail();
    private final List<Observer> observers = new ArrayList<>(2);
    private long count;
    private boolean limitExceeded;
    private IOException sourceFailure;
    private IOException sinkFailure;
    private UploadRejected observerRejection;
    private boolean eof;

    TeeInput(InputStream source, OutputStream sink, long limit) {
        this.source = source;
        this.sink = sink;
        this.limit = limit;
    }

    void observe(Observer o) {
        observers.add(o);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (limitExceeded) throw new Stop("size limit exceeded");
        if (observerRejection != null) throw new Stop("content rejected");
        if (len == 0) return 0;
        if (eof) return -1;
        int n = (int) Math.min(len, limit + 1 - count);
        int r;
        try {
            r = source.read(b, off, n);
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
        if (r < 0) {
            eof = true;
            return -1;
        }
        if (r == 0) return 0;
        count += r;
        try {
            sink.write(b, off, r);
        } catch (IOException e) {
            sinkFailure = e;
            throw e;
        }
        tail.add(b, off, r);
        for (Observer o : observers) {
            o.accept(b, off, r);
            UploadRejected rejected = o.rejection();
            if (rejected != null && observerRejection == null) observerRejection = rejected;
        }
        if (count > limit) {
            limitExceeded = true;
            throw new Stop("size limit exceeded");
        }
        if (observerRejection != null) throw new Stop("content rejected");
        return r;
    }

    /** Reads everything left (through this tee, so it is counted, copied and scanned). */
    void drain() throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (read(buf, 0, buf.length) >= 0) {
            // counting, copying and scanning happen in read()
        }
    }

    long count() {
        return count;
    }

    boolean limitExceeded() {
        return limitExceeded;
    }

    IOException sourceFailure() {
        return sourceFailure;
    }

    IOException sinkFailure() {
        return sinkFailure;
    }

    UploadRejected observerRejection() {
        return observerRejection;
    }

    byte[] tail() {
        return tail.bytes();
    }

    /** The last bytes of the stream: enough for a ZIP end-of-central-directory record with the longest comment. */
    static final class Tail {
        static final int CAPACITY = 65_535 + 22 + 1024;
        private final byte[] ring = new byte[CAPACITY];
        private long total;

        void add(byte[] b, int off, int len) {
            if (len >= CAPACITY) {
                System.arraycopy(b, off + len - CAPACITY, ring, 0, CAPACITY);
                total += len;
                // Rotate so that the write position (total % CAPACITY) is where the oldest byte sits.
                int pos = (int) (total % CAPACITY);
                if (pos != 0) {
                    byte[] copy = ring.clone();
                    System.arraycopy(copy, 0, ring, pos, CAPACITY - pos);
                    System.arraycopy(copy, CAPACITY - pos, ring, 0, pos);
                }
                return;
            }
            int pos = (int) (total % CAPACITY);
            int first = Math.min(len, CAPACITY - pos);
            System.arraycopy(b, off, ring, pos, first);
            if (first < len) System.arraycopy(b, off + first, ring, 0, len - first);
            total += len;
        }

        byte[] bytes() {
            int n = (int) Math.min(total, CAPACITY);
            byte[] out = new byte[n];
            int start = (int) ((total - n) % CAPACITY);
            int first = Math.min(n, CAPACITY - start);
            System.arraycopy(ring, start, out, 0, first);
            if (first < n) System.arraycopy(ring, 0, out, first, n - first);
            return out;
        }
    }
}

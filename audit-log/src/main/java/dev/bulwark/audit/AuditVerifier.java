package dev.bulwark.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Checks a chain offline: every entry's MAC, that each links to its predecessor, that seqs run 1, 2, 3... (or on
 * from a pruning checkpoint), and that the chain reaches the known head. Reports the first entry that was edited,
 * removed, inserted or reordered. Works on a store ({@link AuditLog#verify}) or a JSON Lines export
 * ({@link #verifyExport}); it needs only the MAC key.
 */
public final class AuditVerifier {
    private final AuditMacKey key;

    public AuditVerifier(AuditMacKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    /** One item to check: an entry, or a line/row that could not even be read. */
    record Item(AuditEntry entry, long position, ChainReport.Kind unreadableKind, long unreadableSeq, String unreadable) {
        static Item of(AuditEntry e, long position) {
            return new Item(e, position, null, -1, null);
        }

        static Item broken(ChainReport.Kind kind, long seq, long position, String why) {
            return new Item(null, position, kind, seq, why);
        }
    }

    /**
     * Verifies a JSON Lines export written by {@link AuditLog#export}. Never throws on hostile input: unreadable text
     * is reported as {@link ChainReport.Kind#MALFORMED} at its line.
     *
     * @param anchor a head published earlier (may be {@code null}); the export's own closing head line is also checked
     */
    public ChainReport verifyExport(Reader jsonl, ChainHead anchor) {
        ExportItems items = new ExportItems(new BufferedReader(jsonl));
        ChainReport r = run(items.chain, items.checkpoint, items.headerProblem, new Peeking(items), anchor);
        if (!r.intact()) return r;
        if (items.head == null) {
            return new ChainReport(items.chain, new ChainReport.Problem(ChainReport.Kind.TRUNCATED, r.lastVerifiedSeq() + 1,
                    items.line + 1, "the export has no closing head line: it was cut short"), r.entriesVerified(),
                    r.lastVerifiedSeq(), r.lastVerifiedMac());
        }
        if (!items.head.chain().equals(items.chain) || items.head.seq() != r.lastVerifiedSeq() || !items.head.mac().equals(r.lastVerifiedMac())) {
            return new ChainReport(items.chain, new ChainReport.Problem(ChainReport.Kind.TRUNCATED, r.lastVerifiedSeq() + 1,
                    items.line, "the export's head names seq " + items.head.seq() + " but its entries end at seq "
                    + r.lastVerifiedSeq()), r.entriesVerified(), r.lastVerifiedSeq(), r.lastVerifiedMac());
        }
        return r;
    }

    /** Verifies entries given in chain order (e.g. read from a store), starting at {@code checkpoint} if there is one. */
    public ChainReport verify(ChainId chain, Checkpoint checkpoint, Iterator<AuditEntry> entries, ChainHead anchor) {
        Iterator<Item> items = new Iterator<>() {
            long position;

            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Item next() {
                return Item.of(entries.next(), ++position);
            }
        };
        return verifyItems(chain, checkpoint, items, anchor);
    }

    ChainReport verifyItems(ChainId chain, Checkpoint checkpoint, Iterator<Item> items, ChainHead anchor) {
        return run(chain, checkpoint, null, new Peeking(items), anchor);
    }

    private ChainReport run(ChainId chain, Checkpoint cp, ChainReport.Problem headerProblem, Peeking it, ChainHead anchor) {
        long expected = 1;
        String prev = Canonical.GENESIS_MAC;
        long verified = 0;
        if (headerProblem != null) return new ChainReport(chain, headerProblem, 0, 0, prev);
        if (cp != null) {
            if (!cp.chain().equals(chain) || !checkpointOk(cp)) {
                return new ChainReport(chain, new ChainReport.Problem(ChainReport.Kind.BAD_CHECKPOINT, cp.throughSeq(), 1,
                        "the pruning checkpoint's MAC does not verify"), 0, 0, prev);
            }
            expected = cp.throughSeq() + 1;
            prev = cp.lastMac();
        }
        while (it.hasNext()) {
            Item item = it.next();
            if (item.entry() == null) {
                return problem(chain, item.unreadableKind(), item.unreadableSeq(), item.position(), item.unreadable(), verified, expected, prev);
            }
            AuditEntry e = item.entry();
            long pos = item.position();
            if (!e.chain().equals(chain)) {
                return problem(chain, ChainReport.Kind.INSERTED, e.seq(), pos, "entry belongs to chain " + e.chain(), verified, expected, prev);
            }
            if (!macOk(e)) {
                if (e.seq() < expected) {
                    return problem(chain, ChainReport.Kind.INSERTED, e.seq(), pos, "a forged entry reusing seq " + e.seq(), verified, expected, prev);
                }
                Item next = it.peek();
                if (next != null && next.entry() != null && next.entry().seq() == expected
                        && next.entry().prevMac().equals(prev) && macOk(next.entry())) {
                    return problem(chain, ChainReport.Kind.INSERTED, e.seq(), pos,
                            "an entry that is not part of the chain sits before entry " + expected, verified, expected, prev);
                }
                if (anchor != null && anchor.chain().equals(chain) && e.seq() > anchor.seq()) {
                    return problem(chain, ChainReport.Kind.INSERTED, e.seq(), pos,
                            "an entry after the known head (seq " + anchor.seq() + ") whose MAC does not verify", verified, expected, prev);
                }
                return problem(chain, ChainReport.Kind.EDITED, e.seq(), pos, "the entry's MAC does not match its content", verified, expected, prev);
            }
            if (e.seq() == expected) {
                if (!e.prevMac().equals(prev)) {
                    return problem(chain, ChainReport.Kind.BROKEN_LINK, e.seq(), pos,
                            "the entry does not link to entry " + (expected - 1), verified, expected, prev);
                }
                if (anchor != null && anchor.chain().equals(chain) && e.seq() == anchor.seq() && !e.mac().equals(anchor.mac())) {
                    return problem(chain, ChainReport.Kind.BROKEN_LINK, e.seq(), pos,
                            "the entry differs from the known head at this seq", verified, expected, prev);
                }
                prev = e.mac();
                expected++;
                verified++;
                continue;
            }
            if (e.seq() > expected) {
                long missing = expected;
                if (it.scanRestFor(chain, missing)) {
                    return problem(chain, ChainReport.Kind.REORDERED, missing, pos,
                            "entry " + missing + " is out of order: entry " + e.seq() + " stands in its place", verified, expected, prev);
                }
                return problem(chain, ChainReport.Kind.REMOVED, missing, pos, missing == e.seq() - 1
                        ? "entry " + missing + " is missing" : "entries " + missing + " to " + (e.seq() - 1) + " are missing",
                        verified, expected, prev);
            }
            return problem(chain, ChainReport.Kind.INSERTED, e.seq(), pos,
                    "a second copy of entry " + e.seq() + (cp != null && e.seq() <= cp.throughSeq() ? " (already pruned)" : ""),
                    verified, expected, prev);
        }
        long last = expected - 1;
        if (anchor != null && anchor.chain().equals(chain) && last < anchor.seq()) {
            return problem(chain, ChainReport.Kind.TRUNCATED, expected, -1, "the chain ends at seq " + last
                    + " but its head is seq " + anchor.seq() + ": the newest entries were deleted", verified, expected, prev);
        }
        return new ChainReport(chain, null, verified, last, prev);
    }

    private static ChainReport problem(ChainId chain, ChainReport.Kind kind, long seq, long position, String message,
                                       long verified, long expected, String prev) {
        return new ChainReport(chain, new ChainReport.Problem(kind, seq, position, message), verified, expected - 1, prev);
    }

    boolean macOk(AuditEntry e) {
        byte[] tag = Canonical.unb64(e.mac());
        if (tag == null || e.prevMac() == null) return false;
        try {
            return key.verify(e.keyId(), Canonical.entry(e), tag);
        } catch (RuntimeException ex) {
            return false;
        }
    }

    boolean checkpointOk(Checkpoint c) {
        byte[] tag = Canonical.unb64(c.mac());
        if (tag == null || c.lastMac() == null || c.prunedAt() == null) return false;
        try {
            return key.verify(c.keyId(), Canonical.checkpoint(c.chain(), c.throughSeq(), c.lastMac(), c.prunedAt().toEpochMilli(), c.keyId()), tag);
        } catch (RuntimeException ex) {
            return false;
        }
    }

    /** An iterator with one item of look-ahead. */
    private static final class Peeking {
        private final Iterator<Item> it;
        private Item peeked;

        Peeking(Iterator<Item> it) {
            this.it = it;
        }

        boolean hasNext() {
            return peeked != null || it.hasNext();
        }

        Item next() {
            if (peeked != null) {
                Item p = peeked;
                peeked = null;
                return p;
            }
            return it.next();
        }

        Item peek() {
            if (peeked == null && it.hasNext()) peeked = it.next();
            return peeked;
        }

        /** Consumes the rest looking for an authentic-looking position of {@code seq} (used only once a problem is found). */
        boolean scanRestFor(ChainId chain, long seq) {
            while (hasNext()) {
                Item i = next();
                if (i.entry() != null && i.entry().seq() == seq && i.entry().chain().equals(chain)) return true;
            }
            return false;
        }
    }

    /** Reads an export line by line: checkpoint first (optional), entries, a closing head. */
    private static final class ExportItems implements Iterator<Item> {
        private final BufferedReader in;
        ChainId chain;
        Checkpoint checkpoint;
        ChainHead head;
        ChainReport.Problem headerProblem;
        long line;
        private Item pending;
        private boolean done;

        ExportItems(BufferedReader in) {
            this.in = in;
            // Read up to the first entry so the chain id and checkpoint are known before verification starts.
            Item first = read();
            if (first != null && first.entry() != null) chain = first.entry().chain();
            pending = first;
            if (chain == null && checkpoint != null) chain = checkpoint.chain();
            if (chain == null && head != null) chain = head.chain();
            if (chain == null) {
                chain = ChainId.PLATFORM;
                if (first == null && headerProblem == null && head == null) {
                    headerProblem = new ChainReport.Problem(ChainReport.Kind.MALFORMED, -1, 1, "the export is empty");
                }
            }
            if (first != null && first.entry() == null && headerProblem == null) {
                headerProblem = new ChainReport.Problem(first.unreadableKind(), first.unreadableSeq(), first.position(), first.unreadable());
            }
        }

        private Item read() {
            while (!done) {
                String text;
                try {
                    text = in.readLine();
                } catch (IOException e) {
                    done = true;
                    return Item.broken(ChainReport.Kind.MALFORMED, -1, line + 1, "cannot read the export: " + e.getClass().getSimpleName());
                }
                if (text == null) {
                    done = true;
                    return null;
                }
                line++;
                if (text.isBlank()) continue;
                if (head != null) {
                    done = true;
                    return Item.broken(ChainReport.Kind.MALFORMED, -1, line, "text after the closing head line");
                }
                try {
                    Map<String, Object> m = Json.parseObject(text);
                    switch (ExportFormat.type(m)) {
                        case "entry" -> {
                            return Item.of(ExportFormat.parseEntry(m), line);
                        }
                        case "checkpoint" -> {
                            if (line != 1 || checkpoint != null) {
                                done = true;
                                return Item.broken(ChainReport.Kind.MALFORMED, -1, line, "a checkpoint may only be the first line");
                            }
                            checkpoint = ExportFormat.parseCheckpoint(m);
                        }
                        case "head" -> head = ExportFormat.parseHead(m);
                        default -> {
                            done = true;
                            return Item.broken(ChainReport.Kind.MALFORMED, -1, line, "unknown record type");
                        }
                    }
                } catch (Json.Malformed e) {
                    done = true;
                    return Item.broken(ChainReport.Kind.MALFORMED, -1, line, e.getMessage());
                }
            }
            return null;
        }

        @Override
        public boolean hasNext() {
            if (pending == null && !done) pending = read();
            return pending != null;
        }

        @Override
        public Item next() {
            if (!hasNext()) throw new NoSuchElementException();
            Item p = pending;
            pending = null;
            return p;
        }
    }
}

package dev.bulwark.upload;

import dev.bulwark.crypto.InMemoryKeysetStore;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.MasterKey;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The test corpus, generated here from first principles: valid files of every accepted type and hostile files
 * (executable headers, HTML, active SVG, polyglots, compression bombs, active PDFs). No real malware, no blobs.
 */
final class Fixtures {
    private Fixtures() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- keyring and guard

    static Keyring keyring(String... workspaces) {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        Keyring k = Keyring.builder()
                .masterKey(MasterKey.fromBase64(Base64.getEncoder().encodeToString(raw), "test master key"))
                .store(new InMemoryKeysetStore()).build();
        k.provisionShared(Keyring.DataInventory.EMPTY);
        for (String ws : workspaces) k.createWorkspaceKeys(ws);
        return k;
    }

    static UploadPurpose archives() {
        return UploadPurpose.builder("archives").allow("application/zip").maxBytes(64L << 20).build();
    }

    static UploadPurpose logos() {
        return UploadPurpose.builder("logos").allow("image/svg+xml").allow("image/png").maxBytes(1 << 20).build();
    }

    static UploadGuard guard(Keyring keyring, Path dir, UploadMetadataStore store) {
        return UploadGuard.builder().keyring(keyring).dataDirectory(dir).metadataStore(store)
                .purpose(archives()).purpose(logos()).build();
    }

    // ---------------------------------------------------------------- valid files

    static byte[] image(String format) {
        BufferedImage img = new BufferedImage(8, 8, "jpeg".equals(format) ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) img.setRGB(x, y, 0xFF000000 | (x * 30) << 16 | (y * 30) << 8);
        if ("gif".equals(format)) {
            BufferedImage indexed = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED);
            indexed.getGraphics().drawImage(img, 0, 0, null);
            img = indexed;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no ImageIO writer for " + format);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png() {
        return image("png");
    }

    static byte[] jpeg() {
        return image("jpeg");
    }

    static byte[] gif() {
        return image("gif");
    }

    /** A 1x1 lossless WebP (VP8L) built bit by bit from the format description. */
    static byte[] webp() {
        BitWriter bits = new BitWriter();
        bits.write(0x2F, 8);        // VP8L signature
        bits.write(0, 14);          // width - 1
        bits.write(0, 14);          // height - 1
        bits.write(0, 1);           // alpha is not used
        bits.write(0, 3);           // version 0
        bits.write(0, 1);           // no transform
        bits.write(0, 1);           // no color cache
        bits.write(0, 1);           // no meta prefix codes
        int[] symbols = {0x80, 0x40, 0x20, 0xFF};  // green, red, blue, alpha: one symbol each
        for (int s : symbols) {
            bits.write(1, 1);       // simple code
            bits.write(0, 1);       // one symbol
            bits.write(1, 1);       // 8-bit symbol
            bits.write(s, 8);
        }
        bits.write(1, 1);           // distance code: simple, one 1-bit symbol 0
        bits.write(0, 1);
        bits.write(0, 1);
        bits.write(0, 1);
        byte[] vp8l = bits.toBytes();
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        chunk.writeBytes(ascii("VP8L"));
        chunk.writeBytes(le32(vp8l.length));
        chunk.writeBytes(vp8l);
        if ((vp8l.length & 1) == 1) chunk.write(0);
        byte[] body = concat(ascii("WEBP"), chunk.toByteArray());
        return concat(ascii("RIFF"), le32(body.length), body);
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- PDFs

    /** A minimal one-page PDF with a correct xref table; extra objects are appended as given. */
    static byte[] pdf(String catalogExtra, String... extraObjects) {
        List<byte[]> objects = new ArrayList<>();
        objects.add(ascii("<< /Type /Catalog /Pages 2 0 R " + catalogExtra + " >>"));
        objects.add(ascii("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"));
        objects.add(ascii("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"));
        for (String o : extraObjects) objects.add(ascii(o));
        return pdfFromObjects(objects);
    }

    static byte[] pdfFromObjects(List<byte[]> objects) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n"));
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(out.size());
            out.writeBytes(ascii((i + 1) + " 0 obj\n"));
            out.writeBytes(objects.get(i));
            out.writeBytes(ascii("\nendobj\n"));
        }
        int xref = out.size();
        StringBuilder x = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
        for (int off : offsets) x.append(String.format("%010d 00000 n \n", off));
        x.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
        out.writeBytes(ascii(x.toString()));
        return out.toByteArray();
    }

    static byte[] validPdf() {
        return pdf("");
    }

    static byte[] pdfWithOpenActionJavaScript() {
        return pdf("/OpenAction 4 0 R", "<< /Type /Action /S /JavaScript /JS (app.alert\\('hi'\\);) >>");
    }

    static byte[] pdfWithEscapedJavaScriptName() {
        return pdf("/OpenAction 4 0 R", "<< /Type /Action /S /J#61va#53cript /JS (app.alert\\(1\\);) >>");
    }

    /** The JavaScript action sits inside a Flate-compressed object stream, invisible to a plain byte search. */
    static byte[] pdfWithJavaScriptInObjectStream() {
        byte[] inner = ascii("4 0 << /Type /Action /S /JavaScript /JS (app.alert\\(2\\);) >>");
        byte[] compressed = deflate(inner, true);
        byte[] stream = concat(ascii("<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length " + compressed.length
                + " >>\nstream\n"), compressed, ascii("\nendstream"));
        List<byte[]> objects = new ArrayList<>();
        objects.add(ascii("<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"));
        objects.add(ascii("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"));
        objects.add(ascii("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"));
        objects.add(stream);
        return pdfFromObjects(objects);
    }

    static byte[] pdfWithEmbeddedFile() {
        return pdf("/Names << /EmbeddedFiles << /Names [(a.txt) 4 0 R] >> >>",
                "<< /Type /Filespec /F (a.txt) /EF << /F 5 0 R >> >>",
                "<< /Type /EmbeddedFile /Length 5 >>\nstream\nhello\nendstream");
    }

    static byte[] pdfWithLaunchAction() {
        return pdf("/OpenAction 4 0 R", "<< /S /Launch /F (cmd.exe) >>");
    }

    /** A PDF whose Flate content stream holds ordinary drawing operators: must be accepted. */
    static byte[] pdfWithCompressedContent() {
        byte[] compressed = deflate(ascii("BT /F1 12 Tf 10 10 Td (Invoice 42) Tj ET"), true);
        String stream = new String(concat(ascii("<< /Filter /FlateDecode /Length " + compressed.length + " >>\nstream\n"),
                compressed, ascii("\nendstream")), StandardCharsets.ISO_8859_1);
        return pdf("", stream);
    }

    // ---------------------------------------------------------------- hostile files

    /** The first bytes of a 64-bit x86-64 ELF executable header. */
    static byte[] elfHeader() {
        byte[] h = new byte[64];
        h[0] = 0x7F; h[1] = 'E'; h[2] = 'L'; h[3] = 'F';
        h[4] = 2; h[5] = 1; h[6] = 1; h[16] = 2; h[18] = 0x3E; h[20] = 1;
        return h;
    }

    /** A DOS stub pointing to a PE signature, as every Windows executable starts. */
    static byte[] peHeader() {
        byte[] h = new byte[256];
        h[0] = 'M'; h[1] = 'Z';
        h[0x3C] = (byte) 0x80;
        h[0x80] = 'P'; h[0x81] = 'E';
        h[0x84] = 0x64; h[0x85] = (byte) 0x86;
        return h;
    }

    static byte[] html() {
        return text("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>");
    }

    static byte[] svg(String body) {
        return text("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\"" + body + "</svg>");
    }

    static byte[] passiveSvg() {
        return svg("><defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"red\"/></linearGradient></defs>"
                + "<rect width=\"10\" height=\"10\" fill=\"url(#g)\" style=\"stroke: url(#g)\"/><use xlink:href=\"#g\"/>");
    }

    static byte[] svgWithOnload() {
        return svg(" onload=\"alert(1)\"><rect width=\"10\" height=\"10\"/>");
    }

    // ---------------------------------------------------------------- ZIP

    /** One entry for {@link #zip}: name, method (0 stored, 8 deflated), the bytes as stored, and the plain size/CRC. */
    record Entry(String name, int method, byte[] data, long size, long crc) {
        static Entry stored(String name, byte[] content) {
            CRC32 c = new CRC32();
            c.update(content);
            return new Entry(name, 0, content, content.length, c.getValue());
        }

        static Entry deflated(String name, byte[] content) {
            CRC32 c = new CRC32();
            c.update(content);
            return new Entry(name, 8, deflate(content, false), content.length, c.getValue());
        }
    }

    /** Writes a ZIP (local headers, data, central directory, end record) with sizes and CRCs in the headers. */
    static byte[] zip(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (Entry e : entries) {
            int offset = out.size();
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(new byte[] {'P', 'K', 3, 4});
            out.writeBytes(le16(20)); out.writeBytes(le16(0x0800)); out.writeBytes(le16(e.method()));
            out.writeBytes(le16(0)); out.writeBytes(le16(0x21));
            out.writeBytes(le32(e.crc())); out.writeBytes(le32(e.data().length)); out.writeBytes(le32(e.size()));
            out.writeBytes(le16(name.length)); out.writeBytes(le16(0));
            out.writeBytes(name);
            out.writeBytes(e.data());

            central.writeBytes(new byte[] {'P', 'K', 1, 2});
            central.writeBytes(le16(20)); central.writeBytes(le16(20)); central.writeBytes(le16(0x0800));
            central.writeBytes(le16(e.method())); central.writeBytes(le16(0)); central.writeBytes(le16(0x21));
            central.writeBytes(le32(e.crc())); central.writeBytes(le32(e.data().length)); central.writeBytes(le32(e.size()));
            central.writeBytes(le16(name.length)); central.writeBytes(le16(0)); central.writeBytes(le16(0));
            central.writeBytes(le16(0)); central.writeBytes(le16(0)); central.writeBytes(le32(0));
            central.writeBytes(le32(offset));
            central.writeBytes(name);
        }
        int cdOffset = out.size();
        byte[] cd = central.toByteArray();
        out.writeBytes(cd);
        out.writeBytes(new byte[] {'P', 'K', 5, 6});
        out.writeBytes(le16(0)); out.writeBytes(le16(0));
        out.writeBytes(le16(entries.size())); out.writeBytes(le16(entries.size()));
        out.writeBytes(le32(cd.length)); out.writeBytes(le32(cdOffset)); out.writeBytes(le16(0));
        return out.toByteArray();
    }

    static byte[] zipOf(String name, byte[] content) {
        return zip(List.of(Entry.deflated(name, content)));
    }

    /**
     * A raw deflate stream of {@code mebibytes} MiB of zeros, built without deflating all of it: after the first
     * sync-flushed MiB every further MiB of zeros compresses to the same bytes (the window is all zeros), so that
     * block is repeated. {@link CorpusTest#zipBombFixtureReallyExpandsToTenGibibytes} inflates it to prove it.
     */
    static byte[] zerosDeflated(int mebibytes) {
        byte[] zeros = new byte[1 << 20];
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] first = deflateChunk(d, zeros, Deflater.SYNC_FLUSH);
        byte[] second = deflateChunk(d, zeros, Deflater.SYNC_FLUSH);
        byte[] third = deflateChunk(d, zeros, Deflater.SYNC_FLUSH);
        if (!java.util.Arrays.equals(second, third)) throw new IllegalStateException("deflate blocks of zeros differ");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        for (int i = 1; i < mebibytes; i++) out.writeBytes(second);
        d.setInput(new byte[0]);
        d.finish();
        out.writeBytes(deflateChunk(d, new byte[0], Deflater.FULL_FLUSH));
        d.end();
        return out.toByteArray();
    }

    private static byte[] deflateChunk(Deflater d, byte[] input, int flush) {
        if (input.length > 0) d.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (true) {
            int n = d.deflate(buf, 0, buf.length, flush);
            out.write(buf, 0, n);
            if (d.finished() || (n < buf.length && d.needsInput())) break;
        }
        return out.toByteArray();
    }

    static long crcOfZeros(long size) {
        CRC32 c = new CRC32();
        byte[] zeros = new byte[1 << 20];
        for (long left = size; left > 0; left -= zeros.length) c.update(zeros, 0, (int) Math.min(zeros.length, left));
        return c.getValue();
    }

    /** {@code entries} entries of {@code mebibytes} MiB of zeros each, deflated (the classic flat bomb). */
    static byte[] zerosZip(int entries, int mebibytes) {
        byte[] data = zerosDeflated(mebibytes);
        long size = (long) mebibytes << 20;
        long crc = crcOfZeros(size);
        List<Entry> list = new ArrayList<>();
        for (int i = 0; i < entries; i++) list.add(new Entry("zeros" + i + ".bin", 8, data, size, crc));
        return zip(list);
    }

    /** 10 entries of 1 GiB of zeros: about 10 MB that expand to 10 GiB. */
    static byte[] tenGibibyteZipBomb() {
        return zerosZip(10, 1024);
    }

    /** 10 stored inner archives, each 10 x 100 MiB of zeros: the outer level looks harmless (ratio 1), the inner ones are not. */
    static byte[] nestedZipBomb() {
        byte[] inner = zerosZip(10, 100);
        List<Entry> outer = new ArrayList<>();
        for (int i = 0; i < 10; i++) outer.add(Entry.stored("inner" + i + ".zip", inner));
        return zip(outer);
    }

    static byte[] deflate(byte[] data, boolean zlibWrapper) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, !zlibWrapper);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }

    static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int used;

        /** LSB-first, as VP8L packs bits. */
        void write(int value, int count) {
            for (int i = 0; i < count; i++) {
                current |= ((value >>> i) & 1) << used;
                if (++used == 8) {
                    out.write(current);
                    current = 0;
                    used = 0;
                }
            }
        }

        byte[] toBytes() {
            if (used > 0) {
                out.write(current);
                current = 0;
                used = 0;
            }
            return out.toByteArray();
        }
    }
}

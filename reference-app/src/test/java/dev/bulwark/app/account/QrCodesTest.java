package dev.bulwark.app.account;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.LuminanceSource;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QrCodesTest {
    @Test
    void enrolmentUriSurvivesARoundTripThroughTheQrCode() throws Exception {
        String uri = "otpauth://totp/Bulwark:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Bulwark&algorithm=SHA1&digits=6&period=30";
        BitMatrix m = QrCodes.matrix(uri);
        int scale = 4;
        int w = m.getWidth() * scale;
        int h = m.getHeight() * scale;
        byte[] pixels = new byte[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) pixels[y * w + x] = (byte) (m.get(x / scale, y / scale) ? 0 : 255);
        LuminanceSource src = new LuminanceSource(w, h) {
            @Override
            public byte[] getRow(int y, byte[] row) {
                byte[] r = row == null || row.length < w ? new byte[w] : row;
                System.arraycopy(pixels, y * w, r, 0, w);
                return r;
            }

            @Override
            public byte[] getMatrix() {
                return pixels;
            }
        };
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(src))).getText();
        assertThat(decoded).isEqualTo(uri);
        assertThat(QrCodes.svg(uri)).startsWith("<svg").doesNotContain("<script");
    }
}

package dev.sealpost.cli;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * A QR code (ISO/IEC 18004, encoded by ZXing) drawn with Unicode half blocks, two modules per
 * character cell, for a terminal with a dark background: light modules and the 4-module quiet
 * zone are drawn, dark ones left as background, as {@code qrencode -t UTF8} does.
 */
final class TerminalQr {
    private TerminalQr() {}

    /**
     * @param text what the code holds
     * @return lines to print, each ending in a newline
     * @throws IllegalArgumentException if {@code text} does not fit in a QR code
     */
    static String draw(String text) {
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L, EncodeHintType.MARGIN, 4));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot draw a QR code: " + e.getMessage(), e);
        }
        StringBuilder out = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y += 2) {
            for (int x = 0; x < m.getWidth(); x++) {
                boolean topLight = !m.get(x, y);
                boolean bottomLight = y + 1 < m.getHeight() ? !m.get(x, y + 1) : true;
                out.append(topLight ? (bottomLight ? '█' : '▀') : (bottomLight ? '▄' : ' '));
            }
            out.append('\n');
        }
        return out.toString();
    }
}

import java.nio.charset.*;
import java.nio.*;
public class GBKMap {
  public static void main(String[] a) throws Exception {
    Charset gbk = Charset.forName("GBK");
    StringBuilder sb = new StringBuilder();
    // encode: every BMP char (no surrogates)
    CharsetEncoder enc = gbk.newEncoder();
    for (int cp = 0x80; cp <= 0xFFFF; cp++) {
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      char c = (char) cp;
      if (!enc.canEncode(c)) continue;
      byte[] b = String.valueOf(c).getBytes(gbk);
      sb.append("E ").append(Integer.toHexString(cp)).append(' ');
      for (byte x : b) sb.append(String.format("%02x", x & 0xff));
      sb.append('\n');
    }
    // decode: every 2-byte sequence, and single bytes 0x80..0xff
    CharsetDecoder dec = gbk.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    for (int i = 0x80; i <= 0xff; i++) {
      try { CharBuffer cb = dec.decode(ByteBuffer.wrap(new byte[]{(byte)i}));
        sb.append("D ").append(String.format("%02x", i)).append(' ').append(Integer.toHexString(cb.charAt(0))).append('\n');
      } catch (CharacterCodingException e) {}
    }
    for (int l = 0x81; l <= 0xfe; l++) for (int t = 0x40; t <= 0xfe; t++) {
      try { CharBuffer cb = dec.decode(ByteBuffer.wrap(new byte[]{(byte)l,(byte)t}));
        if (cb.length()!=1) continue;
        sb.append("D ").append(String.format("%02x%02x", l, t)).append(' ').append(Integer.toHexString(cb.charAt(0))).append('\n');
      } catch (CharacterCodingException e) {}
    }
    System.out.print(sb);
  }
}

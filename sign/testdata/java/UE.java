import java.net.URLEncoder;
public class UE {
  public static void main(String[] a) throws Exception {
    for (int b = 0; b < 256; b++) {
      System.out.println(b + " " + URLEncoder.encode(String.valueOf((char) b), "ISO-8859-1"));
    }
    // characters through UTF-8 and GBK
    String[] s = {"中文€ *~", "\uE000名", "a+b&c=d%e"};
    for (String x : s) System.out.println("UTF-8 " + URLEncoder.encode(x, "UTF-8") + " GBK " + URLEncoder.encode(x, "GBK"));
  }
}

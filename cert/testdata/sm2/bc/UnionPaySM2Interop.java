// UnionPaySM2Interop: an independent implementation, on BouncyCastle's
// lightweight API, of what UnionPay's gm Java SDK (com.unionpay.acp.sdk.gm:
// GmUtil, GmCertUtil, GmSDKUtil) does with SM2, used to check the Go code of
// github.com/goacp/unionpay against it. It is not built by CI; see
// ../README.md for the commands.
//
//   java -cp bcprov.jar UnionPaySM2Interop.java <credential.sm2> <password> <vector dir>
//
// It opens the .sm2 credential itself (SM3-KDF, SM4-CBC, PKCS#7), signs the
// strings to sign in canonicals.txt (SM3 hex text, SM3withSM2 with the certId
// as user ID, DER converted to raw r||s, base64), encrypts sample plaintexts
// (SM2Engine C1C2C3 reordered to C1C3C2, base64), and verifies / decrypts the
// Go-made go-signatures.txt and go-ciphertexts.txt, writing its verdicts.
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;

public class UnionPaySM2Interop {
    static final X9ECParameters X9 = GMNamedCurves.getByName("sm2p256v1");
    static final ECDomainParameters DOMAIN = new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(), X9.getH());
    static final SecureRandom RANDOM = new SecureRandom();

    public static void main(String[] args) throws Exception {
        Path credential = Paths.get(args[0]);
        String password = args[1];
        Path dir = Paths.get(args[2]);

        // GmCertUtil.readGmPriCert / GmUtil.readSm2File.
        byte[] der = Base64.getMimeDecoder().decode(Files.readAllBytes(credential));
        ASN1Sequence top = ASN1Sequence.getInstance(der);
        byte[] encKey = ASN1OctetString.getInstance(((ASN1Sequence) top.getObjectAt(1)).getObjectAt(2)).getOctets();
        byte[] certDer = ASN1OctetString.getInstance(((ASN1Sequence) top.getObjectAt(2)).getObjectAt(1)).getOctets();
        byte[] k = sm3(password.getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 1}); // KDF, 32 bytes
        PaddedBufferedBlockCipher sm4 = new PaddedBufferedBlockCipher(new CBCBlockCipher(new SM4Engine()), new PKCS7Padding());
        sm4.init(false, new ParametersWithIV(new KeyParameter(k, 16, 16), k, 0, 16));
        byte[] out = new byte[sm4.getOutputSize(encKey.length)];
        int n = sm4.processBytes(encKey, 0, encKey.length, out, 0);
        n += sm4.doFinal(out, n);
        BigInteger d = new BigInteger(1, Arrays.copyOf(out, n));
        Certificate cert = Certificate.getInstance(certDer);
        String certId = cert.getSerialNumber().getValue().toString(10);
        ECPoint q = DOMAIN.getCurve().decodePoint(cert.getSubjectPublicKeyInfo().getPublicKeyData().getBytes());
        boolean matches = DOMAIN.getG().multiply(d).normalize().equals(q.normalize());
        ECPrivateKeyParameters priv = new ECPrivateKeyParameters(d, DOMAIN);
        ECPublicKeyParameters pub = new ECPublicKeyParameters(q, DOMAIN);
        byte[] uid = certId.getBytes(StandardCharsets.UTF_8);

        List<String> report = new ArrayList<>();
        report.add("# verdicts of BouncyCastle " + org.bouncycastle.jce.provider.BouncyCastleProvider.class.getPackage().getImplementationVersion()
            + " (java " + System.getProperty("java.version") + ") on the Go vectors");
        report.add("credential certId " + certId + (matches ? " key matches certificate" : " KEY DOES NOT MATCH"));

        Map<String, byte[]> canon = new LinkedHashMap<>();
        for (String[] row : rows(dir.resolve("canonicals.txt"))) {
            canon.put(row[0], Hex.decode(row[1]));
        }

        // Signatures by BouncyCastle (GmUtil.signSm3WithSm2), and deliberate mistakes.
        List<String> sigs = new ArrayList<>();
        sigs.add("# name expect base64(signature), made by BouncyCastle with cfca_test.sm2 (user ID = certId " + certId + ")");
        for (Map.Entry<String, byte[]> e : canon.entrySet()) {
            sigs.add(e.getKey() + " valid " + b64(rawSignature(sign(priv, uid, hexText(e.getValue())))));
        }
        byte[] first = canon.get("consume-utf8");
        sigs.add("consume-utf8 invalid-default-user-id " + b64(rawSignature(sign(priv, null, hexText(first)))));
        sigs.add("consume-utf8 invalid-der " + b64(sign(priv, uid, hexText(first))));
        sigs.add("consume-utf8 invalid-signed-raw-digest " + b64(rawSignature(sign(priv, uid, sm3(first)))));
        sigs.add("consume-gbk invalid-other-message " + b64(rawSignature(sign(priv, uid, hexText(first)))));
        write(dir.resolve("bc-signatures.txt"), sigs);

        // Ciphertexts by BouncyCastle (GmUtil.sm2Encrypt: C1C2C3 reordered to C1C3C2).
        List<String> cts = new ArrayList<>();
        cts.add("# expect hex(plaintext) base64(ciphertext), made by BouncyCastle to cfca_test.sm2's certificate");
        for (String plain : new String[] {"6216261000000000018", "phoneNo=13552535506&cvn2=123&expired=2311", "姓名"}) {
            byte[] m = plain.getBytes(StandardCharsets.UTF_8);
            cts.add("valid " + Hex.toHexString(m) + " " + b64(c1c2c3ToC1c3c2(encrypt(pub, m))));
        }
        byte[] m = "6216261000000000018".getBytes(StandardCharsets.UTF_8);
        cts.add("invalid-c1c2c3-order " + Hex.toHexString(m) + " " + b64(encrypt(pub, m)));
        write(dir.resolve("bc-ciphertexts.txt"), cts);

        // Verdicts on the Go vectors (GmUtil.verifySm3WithSm2, GmUtil.sm2Decrypt).
        for (String[] row : rows(dir.resolve("go-signatures.txt"))) {
            byte[] raw = Base64.getDecoder().decode(row[4]);
            boolean ok = raw.length == 64 && verify(pub, row[3].getBytes(StandardCharsets.UTF_8), hexText(canon.get(row[1])), raw);
            report.add("verify " + row[0] + " " + (ok ? "OK" : "FAIL"));
        }
        for (String[] row : rows(dir.resolve("go-ciphertexts.txt"))) {
            String verdict;
            try {
                byte[] plain = decrypt(priv, c1c3c2ToC1c2c3(Base64.getDecoder().decode(row[3])));
                verdict = Hex.toHexString(plain).equals(row[2]) ? "OK" : "FAIL";
            } catch (InvalidCipherTextException ex) {
                verdict = "FAIL";
            }
            report.add("decrypt " + row[0] + " " + verdict);
        }
        write(dir.resolve("bc-report.txt"), report);
        report.forEach(System.out::println);
    }

    static byte[] sm3(byte[]... parts) {
        SM3Digest md = new SM3Digest();
        for (byte[] p : parts) {
            md.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        md.doFinal(out, 0);
        return out;
    }

    /** The SDK signs the lowercase hex of SM3(string to sign), as ASCII. */
    static byte[] hexText(byte[] canonical) {
        return Hex.toHexString(sm3(canonical)).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] sign(ECPrivateKeyParameters priv, byte[] uid, byte[] msg) throws Exception {
        SM2Signer s = new SM2Signer();
        ParametersWithRandom p = new ParametersWithRandom(priv, RANDOM);
        s.init(true, uid == null ? p : new ParametersWithID(p, uid));
        s.update(msg, 0, msg.length);
        return s.generateSignature();
    }

    static boolean verify(ECPublicKeyParameters pub, byte[] uid, byte[] msg, byte[] raw) throws IOException {
        byte[] der = new DERSequence(new ASN1Integer[] {
            new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32))),
            new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64)))}).getEncoded();
        SM2Signer s = new SM2Signer();
        s.init(false, new ParametersWithID(pub, uid));
        s.update(msg, 0, msg.length);
        return s.verifySignature(der);
    }

    /** rsAsn1ToPlainByteArray: DER (r, s) to 32+32 bytes. */
    static byte[] rawSignature(byte[] der) {
        ASN1Sequence seq = ASN1Sequence.getInstance(der);
        byte[] r = BigIntegers.asUnsignedByteArray(32, ASN1Integer.getInstance(seq.getObjectAt(0)).getValue());
        byte[] s = BigIntegers.asUnsignedByteArray(32, ASN1Integer.getInstance(seq.getObjectAt(1)).getValue());
        byte[] out = new byte[64];
        System.arraycopy(r, 0, out, 0, 32);
        System.arraycopy(s, 0, out, 32, 32);
        return out;
    }

    static byte[] encrypt(ECPublicKeyParameters pub, byte[] m) throws InvalidCipherTextException {
        SM2Engine e = new SM2Engine(); // C1C2C3, C1 = 04||X||Y
        e.init(true, new ParametersWithRandom(pub, RANDOM));
        return e.processBlock(m, 0, m.length);
    }

    static byte[] decrypt(ECPrivateKeyParameters priv, byte[] ct) throws InvalidCipherTextException {
        SM2Engine e = new SM2Engine();
        e.init(false, priv);
        return e.processBlock(ct, 0, ct.length);
    }

    static byte[] c1c2c3ToC1c3c2(byte[] ct) {
        int c2 = ct.length - 65 - 32;
        byte[] out = new byte[ct.length];
        System.arraycopy(ct, 0, out, 0, 65);
        System.arraycopy(ct, 65 + c2, out, 65, 32);
        System.arraycopy(ct, 65, out, 97, c2);
        return out;
    }

    static byte[] c1c3c2ToC1c2c3(byte[] ct) {
        int c2 = ct.length - 65 - 32;
        byte[] out = new byte[ct.length];
        System.arraycopy(ct, 0, out, 0, 65);
        System.arraycopy(ct, 97, out, 65, c2);
        System.arraycopy(ct, 65, out, 65 + c2, 32);
        return out;
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static List<String[]> rows(Path p) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            line = line.trim();
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(line.split("\\s+"));
            }
        }
        return out;
    }

    static void write(Path p, List<String> lines) throws IOException {
        Files.write(p, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}

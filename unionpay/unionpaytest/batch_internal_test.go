package unionpaytest

import (
	"os"
	"strings"
	"testing"
)

// TestFidelity2InflateOfficialVector: the gateway reads a fileContent as the official SDK
// writes it (AcpService.enCodeFileContent: base64 of a zlib stream).
func TestFidelity2InflateOfficialVector(t *testing.T) {
	const dir = "../../testdata/official-sdk-vectors/"
	b64, err := os.ReadFile(dir + "filecontent.official.b64")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := os.ReadFile(dir + "filecontent.plain.txt")
	if err != nil {
		t.Fatal(err)
	}
	got, err := inflate(strings.TrimSpace(string(b64)))
	if err != nil {
		t.Fatal(err)
	}
	if got != string(plain) {
		t.Fatalf("inflated %d bytes, want the %d of the plain file", len(got), len(plain))
	}
}

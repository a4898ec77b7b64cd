package unionpay_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// The day's settlement file written straight to disk: DownloadFileTo holds UnionPay's answer
// (the zip in base64, 4/3 of its size), not the file too. Nothing is written unless the answer
// verified and its file decoded whole; a failure of the file itself leaves part of it, so it is
// written under a temporary name and renamed to the file's name only once the download succeeded.
func ExampleClient_DownloadFileTo() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := exampleConsume(ctx, c, srv, "ORDER20240105021", 2599); err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "settlement")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	tmp, err := os.CreateTemp(dir, ".download-*")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(tmp.Name()) // once renamed, nothing is there to remove
	f, err := c.DownloadFileTo(ctx, &unionpay.FileRequest{SettleDate: exampleNow()}, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(dir, f.Name) // DownloadFile checked it to be a plain file name
	if err := os.Rename(tmp.Name(), path); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("wrote", f.Name, "respCode", f.Raw["respCode"])

	zip, err := os.ReadFile(path) // later, to reconcile the day
	if err != nil {
		fmt.Println(err)
		return
	}
	arc, err := reconcile.Open(zip)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range arc.Members() {
		fmt.Println(m.Kind, m.Name)
	}
	// Output:
	// wrote 777290058110048_20240105.zip respCode 00
	// ZM INN24010588ZM_777290058110048
	// RD RD201024010501_777290058110048
}

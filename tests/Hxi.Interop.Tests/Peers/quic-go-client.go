// A small HTTP/3 client on quic-go's http3 package (Debian's golang-github-lucas-clemente-quic-go-dev), built by
// the interop tests in GOPATH mode: another implementation's QUIC and HTTP/3 client against hxi serve.
//
//	quic-go-client -ca ca.pem [-n 10] [-parallel 50] [-upload BYTES] [-discard] [-resume [-0rtt]] URL
//
// One line per response, "<status> <bytes> <sha256 hex>", in request order (with -discard, as bench/run.sh uses it,
// the body is counted and dropped, and the digest is "-"); with -upload, a deterministic body of
// BYTES bytes is POSTed and the line "sent <bytes> <sha256 hex>" comes first. With -resume each round runs on a new
// connection that offers the session ticket of the one before (one shared session cache), and every line ends in
// "resumed" or "full"; -0rtt then sends each GET after the first round in 0-RTT (quic-go's GET_0RTT method).
// Any failure exits 1 with one line on stderr.
package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/lucas-clemente/quic-go/http3"
)

// discard drops response bodies unhashed: a download benchmark then times the transfer, not SHA-256.
var discard = flag.Bool("discard", false, "count the response body and drop it, without hashing it")

type result struct {
	status  int
	size    int64
	sum     string
	session string
	err     error
}

func main() {
	ca := flag.String("ca", "", "PEM file of the CA to trust")
	count := flag.Int("n", 1, "requests, one after another")
	parallel := flag.Int("parallel", 1, "requests in flight at once (each of the -n rounds)")
	upload := flag.Int("upload", -1, "POST a deterministic body of this many bytes")
	resume := flag.Bool("resume", false, "a new connection per round, resuming the session of the round before")
	early := flag.Bool("0rtt", false, "with -resume: send the GETs after the first round in 0-RTT")
	flag.Parse()
	if flag.NArg() != 1 || *ca == "" {
		fmt.Fprintln(os.Stderr, "usage: quic-go-client -ca ca.pem [-n N] [-parallel N] [-upload BYTES] URL")
		os.Exit(2)
	}

	pem, err := os.ReadFile(*ca)
	if err != nil {
		fail(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		fail(fmt.Errorf("no certificate in %s", *ca))
	}
	tlsConfig := &tls.Config{RootCAs: roots}
	if *resume {
		tlsConfig.ClientSessionCache = tls.NewLRUClientSessionCache(4)
	}
	transport := &http3.RoundTripper{TLSClientConfig: tlsConfig}
	defer func() { transport.Close() }()
	client := &http.Client{Transport: transport, Timeout: 60 * time.Second}

	var body []byte
	if *upload >= 0 {
		body = make([]byte, *upload)
		rand.New(rand.NewSource(7)).Read(body)
		sum := sha256.Sum256(body)
		fmt.Printf("sent %d %s\n", len(body), hex.EncodeToString(sum[:]))
	}

	url := flag.Arg(0)
	for round := 0; round < *count; round++ {
		if *resume && round > 0 {
			// A new connection: the session cache carries the ticket over, the transport nothing else.
			transport.Close()
			transport = &http3.RoundTripper{TLSClientConfig: tlsConfig}
			client.Transport = transport
		}
		method := http.MethodGet
		if *early && round > 0 {
			method = http3.MethodGet0RTT
		}
		results := make([]result, *parallel)
		var wait sync.WaitGroup
		for i := range results {
			wait.Add(1)
			go func(i int) {
				defer wait.Done()
				results[i] = fetch(client, method, url, body)
			}(i)
		}
		wait.Wait()
		for _, r := range results {
			if r.err != nil {
				fail(r.err)
			}
			if *resume {
				fmt.Printf("%d %d %s %s\n", r.status, r.size, r.sum, r.session)
			} else {
				fmt.Printf("%d %d %s\n", r.status, r.size, r.sum)
			}
		}
	}
}

func fetch(client *http.Client, method string, url string, body []byte) result {
	var response *http.Response
	var err error
	if body != nil {
		response, err = client.Post(url, "application/octet-stream", bytes.NewReader(body))
	} else {
		request, requestErr := http.NewRequest(method, url, nil)
		if requestErr != nil {
			return result{err: requestErr}
		}
		response, err = client.Do(request)
	}
	if err != nil {
		return result{err: err}
	}
	defer response.Body.Close()
	hash := sha256.New()
	var sink io.Writer = hash
	if *discard {
		sink = io.Discard
	}
	size, err := io.Copy(sink, response.Body)
	if err != nil {
		return result{err: err}
	}
	if response.ProtoMajor != 3 {
		return result{err: fmt.Errorf("answered over %s, not HTTP/3", response.Proto)}
	}
	sum := "-"
	if !*discard {
		sum = hex.EncodeToString(hash.Sum(nil))
	}
	session := "full"
	if response.TLS != nil && response.TLS.DidResume {
		session = "resumed"
	}
	return result{status: response.StatusCode, size: size, sum: sum, session: session}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "quic-go-client: %v\n", err)
	os.Exit(1)
}

package main

import (
	"errors"
	"net"
	"strings"
	"testing"
)

func TestAdvertiseURL(t *testing.T) {
	ipNet := func(cidr string) net.Addr {
		ip, n, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatal(err)
		}
		n.IP = ip
		return n
	}
	tcp := func(s string) net.Addr {
		a, err := net.ResolveTCPAddr("tcp", s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	addrs := func(a ...net.Addr) func() ([]net.Addr, error) {
		return func() ([]net.Addr, error) { return a, nil }
	}
	noAddrs := func() ([]net.Addr, error) { return nil, errors.New("no interfaces") }
	host := func(name string) func() (string, error) {
		return func() (string, error) { return name, nil }
	}
	noHost := func() (string, error) { return "", errors.New("no hostname") }
	pod := addrs(ipNet("127.0.0.1/8"), ipNet("fe80::1/64"), ipNet("10.244.1.7/24"), ipNet("fd00::7/64"))

	for _, tc := range []struct {
		name     string
		listen   net.Addr
		ifaces   func() ([]net.Addr, error)
		hostname func() (string, error)
		want     string
	}{
		{"specific address kept", tcp("10.0.0.5:4003"), pod, host("chat-1"), "http://10.0.0.5:4003/graphql"},
		{"loopback kept", tcp("127.0.0.1:4003"), pod, host("chat-1"), "http://127.0.0.1:4003/graphql"},
		{"0.0.0.0: first non-loopback unicast IPv4", tcp("0.0.0.0:4003"), pod, host("chat-1"), "http://10.244.1.7:4003/graphql"},
		{":: likewise", tcp("[::]:4003"), pod, host("chat-1"), "http://10.244.1.7:4003/graphql"},
		{"empty host likewise", &net.UnixAddr{Name: ":4003", Net: "tcp"}, pod, host("chat-1"), "http://10.244.1.7:4003/graphql"},
		{"IPv6 only", tcp("[::]:4003"), addrs(ipNet("::1/128"), ipNet("fe80::2/64"), ipNet("2001:db8::5/64")), host("chat-1"), "http://[2001:db8::5]:4003/graphql"},
		{"loopback and link-local only: hostname", tcp("0.0.0.0:4003"), addrs(ipNet("127.0.0.1/8"), ipNet("169.254.1.1/16")), host("chat-1"), "http://chat-1:4003/graphql"},
		{"no interfaces: hostname", tcp("0.0.0.0:4003"), noAddrs, host("chat-1"), "http://chat-1:4003/graphql"},
		{"nothing at all: loopback", tcp("0.0.0.0:4003"), noAddrs, noHost, "http://127.0.0.1:4003/graphql"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := advertiseURLWith(tc.listen, tc.ifaces, tc.hostname); got != tc.want {
				t.Errorf("advertiseURL(%s) = %s, want %s", tc.listen, got, tc.want)
			}
		})
	}

	// On this machine, a real listener on 0.0.0.0 never advertises the
	// unspecified or loopback address unless the machine has nothing else.
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Skipf("listen: %v", err)
	}
	defer ln.Close()
	got := advertiseURL(ln.Addr())
	if strings.Contains(got, "0.0.0.0") || strings.Contains(got, "[::]") {
		t.Errorf("advertiseURL(%s) = %s: the unspecified address reaches no one", ln.Addr(), got)
	}
}

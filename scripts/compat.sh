#!/usr/bin/env bash
# compat.sh: run the test suites of real fasthttp users against this module.
#
# usage: scripts/compat.sh [router|websocket|fiber|all]...   (default: router websocket)
#
#   router     github.com/fasthttp/router v1.5.4 (and its radix package)
#   websocket  github.com/fasthttp/websocket v1.5.12
#   fiber      github.com/gofiber/fiber/v2 v2.52.15, every package (binds ports 4003-4006, 9000)
#   all        the three
#
# It builds a throw-away module in a temporary directory whose go.mod says
# `replace github.com/valyala/fasthttp => <this repository>`, runs
# `go test -json` on the chosen suites one package at a time, and prints one
# line per package with its pass/fail/skip counts, then every failing test,
# marked "known" when it also fails on upstream fasthttp v1.78.0.
#
# Environment:
#   COMPAT_WORK=dir     use dir instead of a temporary directory (kept afterwards)
#   COMPAT_VERBOSE=1    also print the output of each failing test
#   COMPAT_TIMEOUT=secs limit for the whole `go test` run (default 1200)
#
# Exit status: 0 when every failure is a known upstream one, 1 otherwise
# (new failures, packages that did not build), 2 on usage errors.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ! grep -q '^module github.com/valyala/fasthttp$' "$root/go.mod" 2>/dev/null; then
	echo "compat: $root is not the fasthttp module" >&2
	exit 2
fi

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(router websocket)
pkgs=()
want_fiber=0
for s in "${suites[@]}"; do
	case $s in
	router) pkgs+=(github.com/fasthttp/router/...) ;;
	websocket) pkgs+=(github.com/fasthttp/websocket/...) ;;
	fiber) pkgs+=(github.com/gofiber/fiber/v2/...); want_fiber=1 ;;
	all) pkgs+=(github.com/fasthttp/router/... github.com/fasthttp/websocket/... github.com/gofiber/fiber/v2/...); want_fiber=1 ;;
	-h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "compat: unknown suite '$s' (router, websocket, fiber, all)" >&2; exit 2 ;;
	esac
done

if [ -n "${COMPAT_WORK:-}" ]; then
	work=$COMPAT_WORK
	mkdir -p "$work"
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/fasthttp-compat.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi
cd "$work"

cat > go.mod <<EOF
module example.com/fasthttpcompat

go 1.24

require (
	github.com/fasthttp/router v1.5.4
	github.com/fasthttp/websocket v1.5.12
	github.com/gofiber/fiber/v2 v2.52.15
	github.com/valyala/fasthttp v1.78.0
)

replace github.com/valyala/fasthttp => $root
EOF

# Blank imports keep every package under test, and what its tests need, in
# the module graph when `go mod tidy` prunes it.
{
	echo 'package fasthttpcompat'
	echo
	echo 'import ('
	for p in github.com/fasthttp/router github.com/fasthttp/router/radix github.com/fasthttp/websocket; do
		echo "	_ \"$p\""
	done
	if [ $want_fiber = 1 ]; then
		GOFLAGS=-mod=mod go list github.com/gofiber/fiber/v2/... 2>/dev/null | grep -v /internal/ | sed 's/.*/	_ "&"/'
	fi
	echo ')'
} > deps.go

echo "compat: preparing module in $work" >&2
if ! go mod tidy > tidy.log 2>&1; then
	cat tidy.log >&2
	echo "compat: go mod tidy failed; does this module build?" >&2
	exit 1
fi

echo "compat: go test ${pkgs[*]}" >&2
set +e
timeout "${COMPAT_TIMEOUT:-1200}" go test -p 1 -count=1 -json "${pkgs[@]}" > results.json 2> stderr.txt
set -e

# The summary is a small Go program, so nothing beyond Go is needed.
mkdir -p summarize
cat > summarize/main.go <<'EOF'
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Tests that also fail on upstream fasthttp v1.78.0 with these versions.
var known = map[string]bool{}

const knownList = `
github.com/fasthttp/router TestGroup
github.com/fasthttp/router TestRouterServeFS
github.com/fasthttp/router TestRouterServeFiles
github.com/fasthttp/router TestRouterServeFilesCustom
github.com/gofiber/fiber/v2 Test_App_Errors
github.com/gofiber/fiber/v2 Test_App_ServerErrorHandler_SmallReadBuffer
github.com/gofiber/fiber/v2 Test_Client_Agent_MaxRedirectsCount
github.com/gofiber/fiber/v2 Test_Client_Agent_Timeout
github.com/gofiber/fiber/v2 Test_Client_Invalid_URL
github.com/gofiber/fiber/v2 Test_Ctx_Immutable_AfterHandler
github.com/gofiber/fiber/v2 Test_Ctx_Next
github.com/gofiber/fiber/v2 Test_Ctx_Next_Error
github.com/gofiber/fiber/v2 Test_Ctx_RestartRouting
github.com/gofiber/fiber/v2 Test_Ctx_RestartRoutingWithChangedPath
github.com/gofiber/fiber/v2 Test_Ctx_RestartRoutingWithChangedPathAndCatchAll
github.com/gofiber/fiber/v2 Test_Ctx_SendFile
github.com/gofiber/fiber/v2/middleware/csrf Test_CSRF_DeleteToken
github.com/gofiber/fiber/v2/middleware/filesystem Test_FileSystem_Head
github.com/gofiber/fiber/v2/middleware/filesystem Test_FileSystem_UsingParam
github.com/gofiber/fiber/v2/middleware/filesystem Test_FileSystem_UsingParam_NonFile
github.com/gofiber/fiber/v2/middleware/keyauth TestAuthSources
github.com/gofiber/fiber/v2/middleware/keyauth TestMultipleKeyAuth
github.com/gofiber/fiber/v2/middleware/proxy Test_Proxy_DoRedirects_TooManyRedirects
github.com/gofiber/fiber/v2/middleware/proxy Test_Proxy_With_Timeout
github.com/gofiber/fiber/v2/middleware/redirect Test_DefaultConfig
github.com/gofiber/fiber/v2/middleware/redirect Test_Next
github.com/gofiber/fiber/v2/middleware/redirect Test_NoRules
github.com/gofiber/fiber/v2/middleware/redirect Test_Redirect
github.com/gofiber/fiber/v2/middleware/redirect Test_RegexRules
github.com/gofiber/fiber/v2/middleware/rewrite Test_Rewrite
`

type event struct {
	Action     string
	Package    string
	ImportPath string // build events
	Test       string
	Output     string
}

type counts struct{ pass, fail, skip int }

func main() {
	for _, l := range strings.Split(knownList, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			known[l] = true
		}
	}
	verbose := os.Getenv("COMPAT_VERBOSE") == "1"
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Println("compat: no results:", err)
		os.Exit(1)
	}
	perPkg := map[string]*counts{}
	pkgResult := map[string]string{}
	output := map[string][]string{} // "pkg test" -> output lines
	buildOut := map[string][]string{} // package -> compiler output
	var failed []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		if e.Action == "build-output" {
			p := strings.Fields(e.ImportPath + " ")[0]
			if l := strings.TrimSpace(e.Output); l != "" && !strings.HasPrefix(l, "#") {
				buildOut[p] = append(buildOut[p], l)
			}
			continue
		}
		if e.Package == "" {
			continue
		}
		key := e.Package + " " + e.Test
		if e.Test != "" && e.Action == "output" && verbose {
			top := e.Package + " " + strings.SplitN(e.Test, "/", 2)[0]
			output[top] = append(output[top], e.Output)
		}
		if e.Action != "pass" && e.Action != "fail" && e.Action != "skip" {
			continue
		}
		if e.Test == "" {
			pkgResult[e.Package] = e.Action
			continue
		}
		if strings.Contains(e.Test, "/") {
			continue // subtests are counted through their parent
		}
		c := perPkg[e.Package]
		if c == nil {
			c = &counts{}
			perPkg[e.Package] = c
		}
		switch e.Action {
		case "pass":
			c.pass++
		case "fail":
			c.fail++
			failed = append(failed, key)
		case "skip":
			c.skip++
		}
	}
	var pkgs []string
	for p := range pkgResult {
		pkgs = append(pkgs, p)
	}
	for p := range perPkg {
		if _, ok := pkgResult[p]; !ok {
			pkgs = append(pkgs, p)
		}
	}
	sort.Strings(pkgs)
	newFailures, broken := 0, 0
	for _, p := range pkgs {
		c := perPkg[p]
		if c == nil {
			c = &counts{}
		}
		res := pkgResult[p]
		if res == "" {
			res = "incomplete"
		}
		fmt.Printf("%-55s %-10s pass %4d  fail %3d  skip %3d\n", p, res, c.pass, c.fail, c.skip)
		if res != "pass" && res != "skip" && c.fail == 0 {
			broken++
			fmt.Printf("  PACKAGE FAILED WITHOUT A FAILING TEST (build error, panic or timeout)\n")
			if len(buildOut[p]) == 0 {
				fmt.Printf("    (no compiler output of its own: a package it imports failed to build, or it panicked)\n")
			}
			for i, l := range buildOut[p] {
				if i == 12 {
					fmt.Printf("    ... %d more lines\n", len(buildOut[p])-i)
					break
				}
				fmt.Printf("    %s\n", l)
			}
		}
	}
	sort.Strings(failed)
	for _, k := range failed {
		tag := "NEW "
		if known[k] {
			tag = "known"
		} else {
			newFailures++
		}
		fmt.Printf("FAIL [%s] %s\n", tag, k)
		if verbose {
			for _, l := range output[k] {
				fmt.Print("    ", l)
			}
		}
	}
	fmt.Printf("compat: %d packages, %d failing tests (%d new vs upstream v1.78.0), %d broken packages\n",
		len(pkgs), len(failed), newFailures, broken)
	if newFailures > 0 || broken > 0 || len(pkgs) == 0 {
		os.Exit(1)
	}
}
EOF
if [ -s stderr.txt ]; then
	echo "compat: go test stderr (first lines):" >&2
	head -20 stderr.txt >&2
fi
go run ./summarize results.json

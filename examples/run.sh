#!/usr/bin/env bash
# Runs the README's test-runner examples with this checkout's urun (bin/urun; build it first
# with `npm run build`): `go test -exec` for GOARCH=mipsle and GOARCH=arm, a failing Go test
# (its output and FAIL reach the user), and CMake's CMAKE_CROSSCOMPILING_EMULATOR under ctest
# for mipsel and armhf. What this machine lacks (go, cmake, a cross compiler) is skipped, saying so.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
URUN=$PWD/bin/urun
failed=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

if command -v go >/dev/null; then
    for target in mipsle:GOARCH=mipsle arm:GOARCH=arm; do
        name=${target%%:*}
        if (cd examples/go-test && env CGO_ENABLED=0 "${target#*:}" go test -exec "$URUN" -count=1 .); then
            pass "go test -exec urun ($name)"
        else
            fail "go test -exec urun ($name)"
        fi
    done
    out=$(cd examples/go-test && WANT_FAIL=yes CGO_ENABLED=0 GOARCH=mipsle go test -exec "$URUN" -count=1 -run TestArch . 2>&1)
    if [ $? -ne 0 ] && grep -q 'failing on purpose: yes' <<<"$out" && grep -q '^FAIL' <<<"$out"; then
        pass 'a failing Go test shows its output and FAIL'
    else
        echo "$out"
        fail 'a failing Go test shows its output and FAIL'
    fi
else
    echo 'SKIP: go test -exec (go is not installed: apt-get install golang-go)'
fi

for triplet in mipsel-linux-gnu arm-linux-gnueabihf; do
    if ! command -v cmake >/dev/null || ! command -v "$triplet-gcc" >/dev/null || [ ! -d "/usr/$triplet" ]; then
        echo "SKIP: CMake/ctest for $triplet (needs cmake and gcc-$triplet)"
        continue
    fi
    build=$(mktemp -d)
    if cmake -S examples/cmake -B "$build" -DCMAKE_TOOLCHAIN_FILE="$PWD/examples/cmake/toolchain.cmake" \
            -DTRIPLET="$triplet" -DURUN="$URUN" >/dev/null &&
        cmake --build "$build" >/dev/null && (cd "$build" && ctest --output-on-failure); then
        pass "CMake CMAKE_CROSSCOMPILING_EMULATOR + ctest ($triplet)"
    else
        fail "CMake CMAKE_CROSSCOMPILING_EMULATOR + ctest ($triplet)"
    fi
    rm -rf "$build"
done
exit $failed

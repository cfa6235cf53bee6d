// C++ runtime with threads and shared libraries, printed deterministically: exceptions thrown in
// a shared library (libprobethrow.so, or linked in when static) and caught here, std::thread,
// std::async, condition_variable, atomics, thread_local, call_once, iostream locales and
// wide streams, std::filesystem on files other threads write. Built by bench/compat.mjs.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <iomanip>
#include <iostream>
#include <locale>
#include <mutex>
#include <numeric>
#include <queue>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "probelib.h"

namespace fs = std::filesystem;

static thread_local int per_thread = 100;
static std::once_flag once;
static std::atomic<int> once_runs{ 0 };

int main(int argc, char **argv)
{
    for (int kind = 0; kind < 4; kind++) {
        try {
            probelib_throw(kind);
        } catch (const probelib_error &e) {
            std::cout << "caught library error " << e.what() << " value " << e.value << '\n';
        } catch (const std::system_error &e) {
            std::cout << "caught system_error " << e.code().value() << ' ' << (e.code() == std::errc::no_such_file_or_directory) << '\n';
        } catch (const std::exception &e) {
            std::cout << "caught std::exception " << e.what() << '\n';
        } catch (int i) {
            std::cout << "caught int " << i << '\n';
        }
    }
    std::cout << "callback through library " << probelib_call([](int x) { if (x > 2) throw std::runtime_error("from callback"); return x; }, 5) << '\n';

    std::mutex m;
    std::condition_variable cv;
    std::queue<int> work;
    bool done = false;
    long consumed = 0;
    std::vector<std::thread> consumers;
    for (int i = 0; i < 3; i++)
        consumers.emplace_back([&] {
            for (;;) {
                std::unique_lock<std::mutex> lk(m);
                cv.wait(lk, [&] { return done || !work.empty(); });
                if (work.empty())
                    return;
                consumed += work.front();
                work.pop();
            }
        });
    for (int i = 1; i <= 1000; i++) {
        std::lock_guard<std::mutex> lk(m);
        work.push(i);
        cv.notify_one();
    }
    {
        std::lock_guard<std::mutex> lk(m);
        done = true;
    }
    cv.notify_all();
    for (auto &t : consumers)
        t.join();
    std::cout << "consumed " << consumed << '\n';

    std::vector<std::future<long>> parts;
    for (int i = 0; i < 4; i++)
        parts.push_back(std::async(std::launch::async, [i] {
            per_thread += i;
            std::call_once(once, [] { once_runs++; });
            long s = 0;
            for (long k = i * 250000; k < (i + 1) * 250000; k++)
                s += k % 7;
            return s + per_thread;
        }));
    long total = 0;
    for (auto &f : parts)
        total += f.get();
    std::cout << "async total " << total << " once " << once_runs << " main tls " << per_thread << '\n';
    auto failing = std::async(std::launch::async, [] { return probelib_throw(2), 0; });
    try {
        failing.get();
    } catch (const std::exception &e) {
        std::cout << "future rethrew " << e.what() << '\n';
    }
    std::promise<std::string> p;
    auto fut = p.get_future();
    std::thread setter([&p] { std::this_thread::sleep_for(std::chrono::milliseconds(20)); p.set_value("promised"); });
    std::cout << "wait_for ready " << (fut.wait_for(std::chrono::seconds(5)) == std::future_status::ready) << ' ' << fut.get() << '\n';
    setter.join();
    std::atomic<long long> counter{ 0 };
    std::vector<std::thread> adders;
    for (int i = 0; i < 4; i++)
        adders.emplace_back([&counter] { for (int k = 0; k < 20000; k++) counter.fetch_add(3, std::memory_order_relaxed); });
    for (auto &t : adders)
        t.join();
    std::cout << "atomic " << counter.load() << " lock free " << counter.is_lock_free() << '\n';
    auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    std::cout << "slept enough " << (std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(30)) << '\n';
    std::cout << "hardware_concurrency > 0 " << (std::thread::hardware_concurrency() > 0) << '\n';

    try {
        std::locale utf8("C.UTF-8");
        std::cout.imbue(utf8);
        std::cout << "C.UTF-8 " << 1234567.5 << ' ' << std::use_facet<std::numpunct<char>>(utf8).decimal_point() << '\n';
        std::wstringstream ws;
        ws.imbue(utf8);
        ws << L"wide " << std::setw(6) << 42 << L" \u00e9";
        std::cout << "wide length " << ws.str().size() << '\n';
        std::cout.imbue(std::locale::classic());
    } catch (const std::runtime_error &e) {
        std::cout << "no C.UTF-8 locale (a big-endian sysroot has none)\n";
    }
    try {
        std::locale bad("xx_YY.nope");
    } catch (const std::runtime_error &e) {
        std::cout << "bad locale throws\n";
    }

    fs::path dir = fs::path(argc > 1 ? argv[1] : ".") / "cc2";
    fs::create_directories(dir);
    std::vector<std::thread> writers;
    for (int i = 0; i < 4; i++)
        writers.emplace_back([&dir, i] { std::ofstream(dir / ("f" + std::to_string(i))) << std::string(i * 100, 'x'); });
    for (auto &t : writers)
        t.join();
    uintmax_t bytes = 0;
    int files = 0;
    for (auto &e : fs::directory_iterator(dir)) {
        bytes += e.file_size();
        files++;
    }
    std::cout << "files " << files << " bytes " << bytes << " space ok " << (fs::space(dir).capacity > 0) << '\n';
    std::error_code ec;
    fs::remove(dir / "nope", ec);
    (void)fs::file_size(dir / "nope", ec);
    std::cout << "error_code " << ec.value() << ' ' << ec.message() << '\n';
    std::cout << "removed " << fs::remove_all(dir) << '\n';
    return 0;
}

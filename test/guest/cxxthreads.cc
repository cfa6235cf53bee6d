// urun guest tests for C++ threads: std::thread, mutex, condition_variable,
// futures, thread_local destructors and an exception crossing threads.
//
//     cxxthreads <case>
//
// Output is deterministic.  Built static with -pthread (and -latomic on MIPS).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <future>
#include <mutex>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

void threads_and_mutex()
{
    std::mutex m;
    long counter = 0;
    std::atomic<long> atomic_counter{0};
    std::atomic<long long> wide{0};  // 64-bit atomics: libatomic on MIPS
    std::vector<std::thread> pool;
    for (int t = 0; t < 8; t++)
        pool.emplace_back([&] {
            for (int i = 0; i < 5000; i++) {
                std::lock_guard<std::mutex> lock(m);
                counter++;
                atomic_counter.fetch_add(1, std::memory_order_relaxed);
                wide.fetch_add(1LL << 33);
            }
        });
    for (auto &t : pool)
        t.join();
    std::printf("mutex counter %ld, atomic %ld, 64-bit atomic %lld\n", counter, atomic_counter.load(),
                wide.load() >> 33);
    std::thread::id main_id = std::this_thread::get_id();
    bool differs = false;
    std::thread([&] { differs = std::this_thread::get_id() != main_id; }).join();
    std::printf("a thread has its own id: %s\n", differs ? "yes" : "no");
}

// A bounded producer/consumer queue on a condition variable.
void condvar()
{
    std::mutex m;
    std::condition_variable not_empty, not_full;
    std::queue<int> q;
    const size_t cap = 4;
    long sum = 0;
    std::thread consumer([&] {
        for (int n = 0; n < 1000; n++) {
            std::unique_lock<std::mutex> lock(m);
            not_empty.wait(lock, [&] { return !q.empty(); });
            sum += q.front();
            q.pop();
            not_full.notify_one();
        }
    });
    for (int i = 1; i <= 1000; i++) {
        std::unique_lock<std::mutex> lock(m);
        not_full.wait(lock, [&] { return q.size() < cap; });
        q.push(i);
        not_empty.notify_one();
    }
    consumer.join();
    std::printf("consumed sum %ld\n", sum);
    std::unique_lock<std::mutex> lock(m);
    bool timed_out = not_empty.wait_for(lock, std::chrono::milliseconds(10)) == std::cv_status::timeout;
    std::printf("wait_for with nobody notifying: %s\n", timed_out ? "timeout" : "woken");
}

void futures()
{
    std::vector<std::future<long>> parts;
    for (int p = 0; p < 4; p++)
        parts.push_back(std::async(std::launch::async, [p] {
            long s = 0;
            for (int i = p * 250 + 1; i <= (p + 1) * 250; i++)
                s += i;
            return s;
        }));
    long total = 0;
    for (auto &f : parts)
        total += f.get();
    std::printf("async sum 1..1000: %ld\n", total);

    std::promise<std::string> promise;
    std::future<std::string> fut = promise.get_future();
    std::thread setter([&] { promise.set_value("value from a thread"); });
    std::printf("promise: %s\n", fut.get().c_str());
    setter.join();

    // an exception thrown in a thread reaches the caller through the future
    auto failing = std::async(std::launch::async, []() -> int { throw std::runtime_error("thrown in a thread"); });
    try {
        failing.get();
        std::printf("no exception\n");
    } catch (const std::runtime_error &e) {
        std::printf("caught: %s\n", e.what());
    }
    std::packaged_task<int(int)> task([](int x) { return x * 7; });
    auto tf = task.get_future();
    std::thread(std::move(task), 6).join();
    std::printf("packaged_task: %d\n", tf.get());
}

std::atomic<int> destroyed{0};
std::mutex log_mutex;
std::vector<int> destroyed_values;

struct PerThread {
    int value = 0;
    ~PerThread()
    {
        std::lock_guard<std::mutex> lock(log_mutex);
        destroyed_values.push_back(value);
        destroyed++;
    }
};
thread_local PerThread per_thread;
thread_local int tls_counter = 100;

void thread_locals()
{
    std::vector<std::thread> ts;
    for (int t = 1; t <= 4; t++)
        ts.emplace_back([t] {
            per_thread.value = t * 10;
            for (int i = 0; i < t; i++)
                tls_counter++;
            if (tls_counter != 100 + t)
                std::printf("thread %d: tls counter %d\n", t, tls_counter);
        });
    for (auto &t : ts)
        t.join();
    std::sort(destroyed_values.begin(), destroyed_values.end());
    std::printf("thread_local destructors ran: %d, values", destroyed.load());
    for (int v : destroyed_values)
        std::printf(" %d", v);
    std::printf("\nmain thread's copy untouched: %d %d\n", tls_counter, per_thread.value);
}

}  // namespace

int main(int argc, char **argv)
{
    const char *c = argc > 1 ? argv[1] : "";
    if (!std::strcmp(c, "threads"))
        threads_and_mutex();
    else if (!std::strcmp(c, "condvar"))
        condvar();
    else if (!std::strcmp(c, "futures"))
        futures();
    else if (!std::strcmp(c, "thread_local"))
        thread_locals();
    else {
        std::fprintf(stderr, "usage: cxxthreads threads|condvar|futures|thread_local\n");
        return 2;
    }
    return 0;
}

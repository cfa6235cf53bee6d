// C++ runtime behaviour, printed deterministically: iostreams formatting, exceptions across
// frames, RTTI, std::regex, std::filesystem, std::chrono with time zones via the C library,
// long double, locales, containers and algorithms. Built by bench/compat.mjs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <locale>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <unordered_map>
#include <vector>

namespace fs = std::filesystem;

struct Base { virtual ~Base() = default; virtual const char *name() const { return "Base"; } };
struct Derived : Base { const char *name() const override { return "Derived"; } };
struct MyError : std::runtime_error { int code; MyError(int c) : std::runtime_error("my error"), code(c) {} };

static int thrower(int depth)
{
    std::vector<std::unique_ptr<int>> guard;
    guard.emplace_back(new int(depth));
    if (depth == 0)
        throw MyError(42);
    return thrower(depth - 1) + 1;
}

int main(int argc, char **argv)
{
    std::cout << std::setprecision(17) << 0.1 << ' ' << std::scientific << 1e-300 << ' ' << std::fixed << std::setprecision(3)
              << 2.0 / 3 << ' ' << std::hexfloat << 0.5 << std::defaultfloat << ' ' << std::setw(8) << std::setfill('*') << 42
              << ' ' << std::hex << std::showbase << 255 << std::dec << ' ' << std::boolalpha << true << '\n';
    long double ld = 1.0L / 3;
    std::cout << std::setprecision(25) << ld << " digits " << std::numeric_limits<long double>::digits << " max "
              << std::numeric_limits<long double>::max() << '\n';
    std::cout << std::setprecision(6) << std::numeric_limits<double>::quiet_NaN() << ' ' << -std::numeric_limits<double>::infinity()
              << ' ' << std::numeric_limits<double>::denorm_min() << '\n';
    try {
        thrower(20);
    } catch (const MyError &e) {
        std::cout << "caught " << e.what() << " code " << e.code << '\n';
    }
    try {
        std::vector<int> v(3);
        v.at(7) = 1;
    } catch (const std::out_of_range &e) {
        std::cout << "out_of_range caught\n";
    }
    try {
        throw 3.5;
    } catch (double d) {
        std::cout << "caught double " << d << '\n';
    }
    std::unique_ptr<Base> b(new Derived);
    std::cout << "rtti " << b->name() << ' ' << (dynamic_cast<Derived *>(b.get()) != nullptr) << ' ' << (typeid(*b) == typeid(Derived))
              << ' ' << typeid(int).name() << ' ' << typeid(MyError).name() << '\n';
    std::regex re(R"((\w+)@(\w+)\.com)");
    std::string text = "alice@example.com, bob@test.com; carol@x.org";
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
        std::cout << "regex " << (*it)[1] << " at " << (*it)[2] << '\n';
    std::cout << std::regex_replace(text, std::regex("[aeiou]"), "_") << '\n';
    std::cout << "ecma " << std::regex_match("2024-02-29", std::regex(R"(\d{4}-\d\d-\d\d)")) << " icase "
              << std::regex_search("HeLLo", std::regex("hello", std::regex::icase)) << '\n';

    fs::path dir = argc > 1 ? argv[1] : ".";
    fs::create_directories(dir / "a/b/c");
    std::ofstream(dir / "a/b/file.txt") << "hello file\n";
    fs::copy_file(dir / "a/b/file.txt", dir / "a/copy.txt");
    fs::rename(dir / "a/copy.txt", dir / "a/renamed.txt");
    std::vector<std::string> names;
    for (auto &e : fs::recursive_directory_iterator(dir / "a"))
        names.push_back(fs::relative(e.path(), dir).string() + (e.is_directory() ? "/" : " " + std::to_string(e.file_size())));
    std::sort(names.begin(), names.end());
    for (auto &n : names)
        std::cout << "fs " << n << '\n';
    std::cout << "exists " << fs::exists(dir / "a/renamed.txt") << " size " << fs::file_size(dir / "a/renamed.txt") << " canonical ends "
              << fs::canonical(dir / "a/b/../b/c").filename() << '\n';
    std::error_code ec;
    (void)fs::file_size(dir / "nope", ec);
    std::cout << "error_code " << ec.value() << ' ' << ec.message() << '\n';
    auto t = fs::last_write_time(dir / "a/renamed.txt");
    std::cout << "mtime recent " << (fs::file_time_type::clock::now() - t < std::chrono::hours(1)) << '\n';
    std::cout << "removed " << fs::remove_all(dir / "a") << '\n';
    try {
        fs::remove(dir / "x/y/z/not");
        fs::directory_iterator bad(dir / "does-not-exist");
    } catch (const fs::filesystem_error &e) {
        std::cout << "filesystem_error " << e.code().value() << '\n';
    }

    using namespace std::chrono;
    auto d = duration_cast<milliseconds>(hours(25) + minutes(3));
    std::cout << "chrono " << d.count() << "ms " << duration<double>(d).count() << "s\n";
    auto now = system_clock::now();
    std::cout << "system_clock after 2020 " << (system_clock::to_time_t(now) > 1577836800) << " steady monotonic "
              << (steady_clock::now() <= steady_clock::now()) << '\n';
    setenv("TZ", "Europe/London", 1);
    tzset();
    std::time_t tt = 1719835200; // 2024-07-01 12:00 UTC
    std::tm tm = *std::localtime(&tt);
    std::cout << "put_time " << std::put_time(&tm, "%F %T %Z %z %A") << '\n';
    std::istringstream in("2021-03-04 05:06:07");
    std::tm parsed{};
    in >> std::get_time(&parsed, "%Y-%m-%d %H:%M:%S");
    std::cout << "get_time " << parsed.tm_year << ' ' << parsed.tm_mon << ' ' << parsed.tm_sec << ' ' << in.fail() << '\n';

    std::mt19937 gen(12345);
    std::uniform_real_distribution<double> ud(0, 1);
    std::normal_distribution<double> nd(0, 1);
    std::cout << "mt19937 " << gen() << ' ' << std::setprecision(12) << ud(gen) << ' ' << nd(gen) << '\n';
    std::map<std::string, int> m{{"z", 1}, {"a", 2}, {"m", 3}};
    std::unordered_map<int, int> um;
    for (int i = 0; i < 1000; i++)
        um[i * 7919 % 1009] += i;
    long long sum = 0;
    for (auto &kv : um)
        sum += (long long)kv.first * kv.second;
    std::vector<double> v(100);
    std::iota(v.begin(), v.end(), 0.5);
    std::cout << "map " << m.begin()->first << " unordered " << um.size() << ' ' << sum << " accumulate "
              << std::accumulate(v.begin(), v.end(), 0.0) << " sqrt " << std::sqrt(2.0L) << '\n';
    try {
        std::locale l("C.UTF-8");
        std::cout << "locale " << l.name() << '\n';
    } catch (const std::exception &e) {
        std::cout << "locale failed\n";
    }
    try {
        std::locale l("xx_YY");
    } catch (const std::runtime_error &e) {
        std::cout << "bad locale throws\n";
    }
    std::cout << std::stoi("  -123xyz") << ' ' << std::stod("1e-5") << ' ' << std::to_string(3.14159) << '\n';
    try {
        std::stoi("99999999999");
    } catch (const std::out_of_range &) {
        std::cout << "stoi out_of_range\n";
    }
    return 0;
}

// lx::Runtime: the thread count it sets is the one LibTorch reports, the re-exec that makes OpenMP wait
// passively really restarts the program with the variable set (and leaves a user's own choice alone),
// and the matmul yardstick and the description agree with the machine.
#include "TestSupport.h"

#include "lx/Runtime.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <thread>

namespace {

// Set in the child the re-exec test forks: the re-executed program reports what it was started with
// through its exit status instead of running the suite.
const char kChildVar[] = "LX_RUNTIME_TEST_CHILD";

int childMain()
{
    const char* policy = std::getenv("OMP_WAIT_POLICY");
    if (policy == nullptr)
        return 10; // the variable did not survive the exec
    return std::strcmp(policy, "PASSIVE") == 0 ? 0 : 11;
}

// Forks; the child sets OMP_WAIT_POLICY to `policy` (nullptr: unset) and calls
// preferPassiveThreadWaiting. Returns the child's exit status: 42 when the call returned without
// re-executing, else what childMain() of the re-executed program returned.
int runChild(const char* policy)
{
    const pid_t pid = fork();
    if (pid == 0) {
        if (policy)
            setenv("OMP_WAIT_POLICY", policy, 1);
        else
            unsetenv("OMP_WAIT_POLICY");
        setenv(kChildVar, "1", 1);
        char name[] = "test_Runtime";
        char* argv[] = {name, nullptr};
        lx::Runtime::preferPassiveThreadWaiting(argv);
        _exit(42);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

} // namespace

class TestRuntime : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // First, before LibTorch starts its threads in this process.
    void reExecutesWithPassiveWaiting()
    {
        QCOMPARE(runChild(nullptr), 0); // re-executed, and the new program sees PASSIVE
        QCOMPARE(runChild("ACTIVE"), 42); // a user's own policy: no re-exec, left as it is
        lx::Runtime::preferPassiveThreadWaiting(nullptr); // no argv: returns, nothing to restart
    }

    void threadCount()
    {
        QCOMPARE(lx::Runtime::coreCount(), int(std::max(1u, std::thread::hardware_concurrency())));
        QCOMPARE(lx::Runtime::configureThreads(1), 1);
        QCOMPARE(lx::Runtime::configureThreads(0), lx::Runtime::coreCount());
        QVERIFY(lx::Runtime::describe().find(std::to_string(lx::Runtime::coreCount()) + " threads")
                != std::string::npos);
    }

    void describeSaysWhatLibTorchHas()
    {
        const std::string d = lx::Runtime::describe();
        QVERIFY2(d.rfind("LibTorch ", 0) == 0, d.c_str());
        QVERIFY2(lxtest::contains(d, lx::Runtime::cudaAvailable() ? ", CUDA, " : ", CPU only, "), d.c_str());
    }

    void matmulYardstick()
    {
        // A 256^3 product is 33.6 MFLOP: any working machine does it at more than 0.1 GFLOP/s, and no
        // CPU core reaches 1000 GFLOP/s in float32 (this 2-core machine: about 140 in all).
        const double g = lx::Runtime::matmulGflops("cpu", 256, 3);
        QVERIFY2(std::isfinite(g) && g > 0.1 && g < 1000.0 * lx::Runtime::coreCount(), std::to_string(g).c_str());
        if (!lx::Runtime::cudaAvailable())
            QVERIFY(!lxtest::errorOf([] { lx::Runtime::matmulGflops("cuda", 64, 1); }).empty());
    }
};

int main(int argc, char** argv)
{
    if (std::getenv(kChildVar) != nullptr)
        return childMain();
    TestRuntime test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_Runtime.moc"

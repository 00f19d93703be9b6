// lx::parseDeviceChoice: the device names users type (GUI field, CLI --device, a session's "device").
#include "TestSupport.h"

#include "lx/Model.h"

#include <optional>

Q_DECLARE_METATYPE(std::optional<lx::DeviceChoice>)

class TestDeviceChoice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void names_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<std::optional<lx::DeviceChoice>>("choice");
        const std::optional<lx::DeviceChoice> none;
        QTest::newRow("auto") << "auto" << std::optional(lx::DeviceChoice::Auto);
        QTest::newRow("empty") << "" << std::optional(lx::DeviceChoice::Auto);
        QTest::newRow("blank") << "  \t" << std::optional(lx::DeviceChoice::Auto);
        QTest::newRow("cpu") << "cpu" << std::optional(lx::DeviceChoice::Cpu);
        QTest::newRow("CPU padded") << " CPU\n" << std::optional(lx::DeviceChoice::Cpu);
        QTest::newRow("cuda") << "cuda" << std::optional(lx::DeviceChoice::Cuda);
        QTest::newRow("Cuda") << "Cuda" << std::optional(lx::DeviceChoice::Cuda);
        QTest::newRow("gpu") << "gpu" << std::optional(lx::DeviceChoice::Cuda);
        QTest::newRow("GPU") << "GPU" << std::optional(lx::DeviceChoice::Cuda);
        QTest::newRow("tpu") << "tpu" << none;
        QTest::newRow("cuda:0") << "cuda:0" << none;
        QTest::newRow("inner space") << "c pu" << none;
        QTest::newRow("prefix") << "cp" << none;
    }

    void names()
    {
        QFETCH(QString, text);
        QFETCH(std::optional<lx::DeviceChoice>, choice);
        QVERIFY(lx::parseDeviceChoice(text.toStdString()) == choice);
    }
};

QTEST_GUILESS_MAIN(TestDeviceChoice)
#include "test_DeviceChoice.moc"

#pragma once
// For the intervention and session GUI tests: the bundled model loaded in the test process by core
// alone, to compute what the hybrid view must show (HybridEngine::intervene, converted as the worker
// converts), and small helpers that drive the intervention panel like a user.
#include "lx/HybridEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "ui/figure/ImageConvert.h"
#include "ui/hybrids/InterventionPanel.h"
#include "ui/shell/MainWindow.h"

#include "UiTestSupport.h"

#include <memory>

namespace lx::ui::test {

// One intra-op thread here and in the windows under test: the same kernels give the same bits.
constexpr int kThreads = 1;

class CoreReference {
public:
    explicit CoreReference(const QString& path)
        : mModel(lx::Model::load(path.toStdString(), {lx::DeviceChoice::Cpu, kThreads}))
        , mEngine(std::make_unique<lx::HybridEngine>(*mModel))
    {
    }

    // The hybrid view's image for `edit` at `layer` (x(z1) edited; copy-donor values from z2).
    QImage edited(int layer, quint64 seed1, quint64 seed2, const lx::LayerEdit& edit)
    {
        setInputs(layer, seed1, seed2);
        return toImage(mEngine->intervene(edit));
    }
    // The plain channel swap (no interventions).
    QImage hybrid(int layer, quint64 seed1, quint64 seed2, const QVector<int>& channels)
    {
        setInputs(layer, seed1, seed2);
        return toImage(mEngine->hybrid(std::vector<int>(channels.begin(), channels.end())));
    }
    lx::Model& model() { return *mModel; }

private:
    void setInputs(int layer, quint64 seed1, quint64 seed2)
    {
        const lx::LatentSampler sampler(mModel->card().latentShape);
        mEngine->setInputs(layer, sampler.sample({seed1}), sampler.sample({seed2}));
    }
    QImage toImage(const lx::Array& images) const
    {
        return ImageConvert::fromBatch(images, 0, mModel->card().outputLow, mModel->card().outputHigh,
                                       mModel->outputShape());
    }

    std::unique_ptr<lx::Model> mModel;
    std::unique_ptr<lx::HybridEngine> mEngine;
};

inline lx::Intervention intervention(lx::EditOp op, const QVector<int>& channels, double value = 1.0)
{
    lx::Intervention i;
    i.op = op;
    i.channels.assign(channels.begin(), channels.end());
    i.value = value;
    return i;
}

inline QVector<int> range(int first, int count)
{
    QVector<int> channels;
    for (int c = first; c < first + count; ++c)
        channels << c;
    return channels;
}

// Chooses the operation and value in the panel and clicks Add (on the channels selected in the window).
inline void addThroughPanel(MainWindow& window, lx::EditOp op, double value)
{
    InterventionPanel* panel = window.interventionPanel();
    panel->setCurrentIndex(-1); // the controls describe the next intervention
    panel->setOp(op);
    if (InterventionPanel::takesValue(op))
        panel->setValue(value);
    QTest::mouseClick(panel->addButton(), Qt::LeftButton);
}

// Opens the bundled model (part of the source tree) in a shown window.
#define LX_OPEN_DEFAULT_MODEL(window)                                                                                  \
    do {                                                                                                               \
        QVERIFY2(QFileInfo::exists(defaultModel()), qPrintable(defaultModel() + " is missing"));                       \
        (window).setErrorDialogsEnabled(false);                                                                        \
        (window).resize(1400, 900);                                                                                    \
        (window).show();                                                                                               \
        QVERIFY(QTest::qWaitForWindowExposed(&(window)));                                                              \
        QVERIFY(openAndWait((window), defaultModel()));                                                                \
    } while (false)

} // namespace lx::ui::test

#pragma once
// Shared set-up for the GUI tests: where fixtures and the bundled model are, loading a model on a
// ComputeController, opening one in a MainWindow and waiting for its frame, finding buttons.
#include "ui/compute/ComputeController.h"
#include "ui/shell/MainWindow.h"

#include <QDir>
#include <QPushButton>
#include <QtTest>

namespace lx::ui::test {

constexpr int kTimeoutMs = 120 * 1000;

// A model made by the fixture scripts (tests/fixtures), in $LX_FIXTURES.
inline QString fixture(const QString& name) { return QDir(qEnvironmentVariable("LX_FIXTURES")).filePath(name); }

// A file of the source tree, e.g. "models/fashion_dcgan.pt".
inline QString sourceFile(const QString& relative)
{
    return QDir(qEnvironmentVariable("LX_SOURCE_DIR")).filePath(relative);
}

inline QString defaultModel() { return sourceFile(QStringLiteral("models/fashion_dcgan.pt")); }

// Loads `path` on the CPU and returns its summary; false (with a warning naming the reason) on failure.
inline bool loadModel(ComputeController& controller, const QString& path, ModelSummary& summary)
{
    QSignalSpy loaded(&controller, &ComputeController::modelLoaded);
    QSignalSpy failed(&controller, &ComputeController::modelLoadFailed);
    controller.loadModel(path, QStringLiteral("cpu"));
    if (!QTest::qWaitFor([&] { return !loaded.isEmpty() || !failed.isEmpty(); }, kTimeoutMs)) {
        qWarning("loading %s timed out", qPrintable(path));
        return false;
    }
    if (!failed.isEmpty()) {
        qWarning("loading %s failed: %s", qPrintable(path), qPrintable(failed.first().first().toString()));
        return false;
    }
    summary = loaded.first().first().value<ModelSummary>();
    return true;
}

// Waits until the newest posted hybrid request has been shown.
inline bool waitForLatestFrame(MainWindow& window)
{
    return QTest::qWaitFor(
        [&] { return window.lastShownSeq() != 0 && window.lastShownSeq() == window.controller()->lastPostedSeq(); },
        kTimeoutMs);
}

// Opens `path` in a shown window and waits for it to load; with `waitForFrame`, also for its first
// hybrid frame (models with layers or samples).
inline bool openAndWait(MainWindow& window, const QString& path, bool waitForFrame = true)
{
    QSignalSpy ready(&window, &MainWindow::modelReady);
    QSignalSpy failed(&window, &MainWindow::modelFailed);
    window.openModel(path);
    if (!QTest::qWaitFor([&] { return !ready.isEmpty() || !failed.isEmpty(); }, kTimeoutMs) || !failed.isEmpty()) {
        qWarning("cannot open %s: %s", qPrintable(path),
                 failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        return false;
    }
    return !waitForFrame || waitForLatestFrame(window);
}

// The first push button below `parent` whose text is `text`, or nullptr.
inline QPushButton* findButton(QWidget* parent, const QString& text)
{
    const QList<QPushButton*> buttons = parent->findChildren<QPushButton*>();
    for (QPushButton* b : buttons) {
        if (b->text() == text)
            return b;
    }
    return nullptr;
}

} // namespace lx::ui::test

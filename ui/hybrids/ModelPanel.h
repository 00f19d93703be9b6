#pragma once
// Dock panel describing the loaded model: name, kind, latent and output shapes, device, how the
// layers were found; with an "Open…" button.
#include "ui/compute/WorkerTypes.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace lx::ui {

class ModelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelPanel(QWidget* parent);

    void setSummary(const ModelSummary& summary);
    void setLoading(const QString& path); // "Loading …" while the worker loads
    void setIdle(); // back to the current summary (after a failed load)

Q_SIGNALS:
    void openRequested();

private:
    void showSummary();

    ModelSummary mSummary;
    bool mHasModel = false;
    QLabel* mName = nullptr;
    QLabel* mDescription = nullptr;
    QWidget* mDetails = nullptr; // the form below, hidden while no model is loaded
    QLabel* mKind = nullptr;
    QLabel* mLatent = nullptr;
    QLabel* mOutput = nullptr;
    QLabel* mDevice = nullptr;
    QLabel* mFile = nullptr;
    QLabel* mDiscovery = nullptr;
    QPushButton* mOpen = nullptr;
};

} // namespace lx::ui

#pragma once
// The "Conditioned" tab: the conditioned response matrix C (rows = the dataset's factors, columns =
// latent dims) as an annotated heatmap with the causal disentanglement score, CDS = Σ_j max_k C_kj /
// Σ C, in [1/F, 1]. It needs a dataset with known factors that core can generate (the card's
// `dataset`); otherwise the tab says why it is unavailable. ResponsesView runs the computation, or
// reads a C.npy computed elsewhere (the Open button), and hands the result here.
#include "lx/Array.h"
#include "ui/responses/ResponseTypes.h"

#include <QJsonObject>
#include <QMap>
#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace lx::ui {

class ExportMenu;
class ResponseMatrixPlot;
class ViewSettings;

class ConditionedPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kDefaultTraversals = 20; // the paper's notebook (its code defaults to 50)
    static constexpr int kDefaultBatch = 32;

    explicit ConditionedPanel(QWidget* parent);

    void setModelInfo(const ResponseModelInfo& info);
    void showResult(const ConditionedMatrixResult& result);
    void clear();
    bool available() const { return mAvailable; }
    bool hasResult() const { return mResult.factors > 0; }
    const ConditionedMatrixResult& result() const { return mResult; }
    QString cdsText() const;
    QString unavailableText() const;
    // What "Save Data as .npy…" writes: {"conditioned-matrix": C [F, d]}, empty without a result.
    QMap<QString, lx::Array> arrays() const;

    int traversals() const;
    int batch() const;
    quint64 seed() const;
    // Its part of the session's view object (ResponsesView::sessionJson); restore keeps what a key lacks.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);
    QSpinBox* traversalsBox() const { return mTraversals; }
    QSpinBox* batchBox() const { return mBatch; }
    QPushButton* computeButton() const { return mCompute; }
    QPushButton* openButton() const { return mOpen; }
    ResponseMatrixPlot* plot() const { return mPlot; }
    ExportMenu* exportMenu() const { return mExport; }

Q_SIGNALS:
    void computeRequested();
    void openRequested();
    void message(const QString& text);

private:
    // The value widgets saved in sessions, under their keys (sessionJson).
    ViewSettings viewSettings() const;
    bool mAvailable = false;
    ConditionedMatrixResult mResult;
    QSpinBox* mTraversals = nullptr;
    QSpinBox* mBatch = nullptr;
    QSpinBox* mSeed = nullptr;
    QPushButton* mCompute = nullptr;
    QPushButton* mOpen = nullptr;
    QToolButton* mExportButton = nullptr;
    ExportMenu* mExport = nullptr;
    QLabel* mCds = nullptr;
    QLabel* mUnavailable = nullptr;
    ResponseMatrixPlot* mPlot = nullptr;
};

} // namespace lx::ui

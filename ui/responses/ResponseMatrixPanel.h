#pragma once
// The "Matrix" tab: the latent response matrix M (rows = intervened dim, columns = responding dim) as
// an annotated heatmap, a line saying where its samples came from, a Compute button, an Open button
// (an M.npy computed elsewhere) and an Export menu (plot as PNG/PDF, M as .npy). ResponsesView runs the
// computation, or reads the file, and hands the result here.
#include "lx/Array.h"
#include "ui/responses/ResponseTypes.h"

#include <QMap>
#include <QWidget>

class QLabel;
class QPushButton;
class QToolButton;

namespace lx::ui {

class ExportMenu;
class ResponseMatrixPlot;

class ResponseMatrixPanel : public QWidget {
    Q_OBJECT
public:
    explicit ResponseMatrixPanel(QWidget* parent);

    void showResult(const ResponseMatrixResult& result);
    void clear(const QString& placeholder);
    bool hasResult() const { return mResult.dims > 0; }
    const ResponseMatrixResult& result() const { return mResult; }
    QString summaryText() const;
    QString noteText() const;
    // What "Save Data as .npy…" writes: {"response-matrix": M [d, d]}, empty without a result.
    QMap<QString, lx::Array> arrays() const;

    ResponseMatrixPlot* plot() const { return mPlot; }
    QPushButton* computeButton() const { return mCompute; }
    QPushButton* openButton() const { return mOpen; }
    ExportMenu* exportMenu() const { return mExport; }

Q_SIGNALS:
    void computeRequested();
    void openRequested();
    void cellClicked(int row, int col);
    void message(const QString& text);

private:
    ResponseMatrixResult mResult;
    ResponseMatrixPlot* mPlot = nullptr;
    QPushButton* mCompute = nullptr;
    QPushButton* mOpen = nullptr;
    QToolButton* mExportButton = nullptr;
    ExportMenu* mExport = nullptr;
    QLabel* mSummary = nullptr;
    QLabel* mNote = nullptr;
};

} // namespace lx::ui

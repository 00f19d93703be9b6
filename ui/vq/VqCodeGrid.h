#pragma once
// The code-index grid of a VQ-VAE (CT-VAE, Gendron et al., IJCAI 2023): B code maps of h x w cells side
// by side, each cell filled with its code's colour from a fixed palette of K colours and labelled with
// the code number while it fits. Cells whose code differs from the reference (the encoded codes) are
// outlined dashed; the cells the last step changed get a thick black frame; the selected cell a blue one
// with a white corner mark.
// Hovering a cell shows "codebook b, row i, column j: code c"; a click selects it; the context menu
// sets its code (codeRequested) or puts the reference code back.
#include <QColor>
#include <QString>
#include <QVector>
#include <QWidget>

namespace lx::ui {

class VqCodeGrid : public QWidget {
    Q_OBJECT
public:
    explicit VqCodeGrid(QWidget* parent);

    void setShape(int codebooks, int rows, int cols, int codebookSize);
    // `codes` and `reference` have B * h * w entries (row-major over [B, h, w]); an empty reference
    // outlines nothing.
    void setCodes(const QVector<int>& codes, const QVector<int>& reference);
    void setHighlighted(const QVector<int>& nodes);
    void setSelected(int node); // -1: none
    void clear(const QString& placeholder);

    int codebooks() const { return mCodebooks; }
    int rows() const { return mRows; }
    int cols() const { return mCols; }
    int codebookSize() const { return mK; }
    int nodeCount() const { return mCodebooks * mRows * mCols; }
    const QVector<int>& codes() const { return mCodes; }
    const QVector<int>& reference() const { return mReference; }
    const QVector<int>& highlighted() const { return mHighlighted; }
    int selected() const { return mSelected; }
    // Nodes whose code differs from the reference, in order.
    QVector<int> changedNodes() const;
    bool hasCodes() const { return !mCodes.isEmpty(); }

    // Where a node is drawn, and the node under a point (-1: none).
    QRect cellRect(int node) const;
    int nodeAt(const QPoint& point) const;
    // "codebook b, row i, column j: code c" (the hover text).
    QString cellText(int node) const;
    // Whether the code number is drawn in the cells at the current size.
    bool numbersShown() const;

    // Code c's colour in a palette of K colours (fixed: the same code always gets the same colour), and a
    // text colour that reads on it.
    static QColor codeColour(int code, int codebookSize);
    static QColor textColour(const QColor& fill);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void cellClicked(int node);
    void codeRequested(int node, int code);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    struct Layout {
        int cell = 0;
        int perRow = 1; // code maps per row of blocks
        int label = 0; // height of a block's label
        int gap = 0;
        QPoint origin;
    };
    Layout layoutFor(const QSize& size) const;
    QRect blockRect(const Layout& l, int codebook) const;

    int mCodebooks = 0;
    int mRows = 0;
    int mCols = 0;
    int mK = 0;
    QVector<int> mCodes;
    QVector<int> mReference;
    QVector<int> mHighlighted;
    int mSelected = -1;
    QString mPlaceholder;
};

} // namespace lx::ui

#pragma once
// Where the samples of a response computation come from: intervention values from the aggregate
// posterior or the prior, the data behind the aggregate posterior (the card's dataset, else a .npy of
// images the user picks), the number of samples and the seed. Without data the aggregate posterior
// falls back to the prior, and a visible note says so.
#include "ui/responses/ResponseTypes.h"

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace lx::ui {

class ViewSettings;

class ResponseSourceBar : public QWidget {
    Q_OBJECT
public:
    static constexpr int kDefaultSamples = 128;

    explicit ResponseSourceBar(QWidget* parent);

    // The model's card: a usable dataset becomes the data source; otherwise the chosen file (if any).
    void setModelInfo(const ResponseModelInfo& info);
    void setValueSource(ValueSource source);
    void setImagesPath(const QString& path); // a .npy of images; empty: none
    ResponseDataSource source() const;
    // The note under the bar (e.g. the fallback to the prior); empty when there is none.
    QString noteText() const;

    // Its part of the session's view object (ResponsesView::sessionJson); restore keeps what a key lacks.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);
    QComboBox* valuesBox() const { return mValues; }
    QSpinBox* samplesBox() const { return mSamples; }
    QSpinBox* seedBox() const { return mSeed; }

Q_SIGNALS:
    void changed();

private:
    // The value widgets saved in sessions, under their keys (sessionJson).
    ViewSettings viewSettings() const;
    void chooseImages();
    void updateNote();

    QString mDataset; // usable dataset of the current model, or empty
    QString mImagesPath;
    QComboBox* mValues = nullptr;
    QLabel* mData = nullptr;
    QPushButton* mChoose = nullptr;
    QPushButton* mClear = nullptr;
    QSpinBox* mSamples = nullptr;
    QSpinBox* mSeed = nullptr;
    QLabel* mNote = nullptr;
};

} // namespace lx::ui

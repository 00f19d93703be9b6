#pragma once
// Frames per second of the frames shown over the last second (the status bar's live FPS while a slider
// is dragged). 0 while fewer than two frames arrived in that window.
#include <QElapsedTimer>
#include <QVector>

namespace lx::ui {

class FrameRate {
public:
    static constexpr qint64 kWindowMs = 1000;

    FrameRate();
    // Records a frame shown now (or at `atMs` on the clock of elapsedMs(), for tests).
    void frame();
    void frame(qint64 atMs);
    double fps() const;
    qint64 elapsedMs() const { return mClock.elapsed(); }

private:
    void dropOld(qint64 nowMs);

    QElapsedTimer mClock;
    QVector<qint64> mTimes; // ascending
};

} // namespace lx::ui

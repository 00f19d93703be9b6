#pragma once
// The workbench's hybrid as a latest task of key kKey: the newest request wins while the user drags a
// slider. A HybridSession keeps what the requests share (the lx::HybridEngine with its cached prefix
// activations, the channel thumbnails) between tasks; it is only used on the worker thread, and it
// builds a new engine when another model was loaded.
#include "ui/compute/Task.h"
#include "ui/hybrids/HybridTypes.h"

#include <memory>

namespace lx::ui {

class ComputeController;
class TaskHandle;

class HybridTasks {
public:
    static constexpr const char* kKey = "hybrid";
    static constexpr int kMaxThumbnails = 512;

    struct Session;
    static std::shared_ptr<Session> newSession();

    // The task computing `request` (Task::latest(kKey)); its result is a HybridFrame.
    static Task frameTask(std::shared_ptr<Session> session, const HybridRequest& request);
    // Runs frameTask on `controller`; the frame's seq is the task's id.
    static TaskHandle* request(ComputeController& controller, std::shared_ptr<Session> session,
                               const HybridRequest& request);
};

} // namespace lx::ui

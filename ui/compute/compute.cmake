# The compute worker thread, the controller the UI talks to, the task types, and the bar that shows any task.
target_sources(lx_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ComputeController.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ComputeController.h
  ${CMAKE_CURRENT_LIST_DIR}/ComputeWorker.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ComputeWorker.h
  ${CMAKE_CURRENT_LIST_DIR}/ErrorText.h
  ${CMAKE_CURRENT_LIST_DIR}/ModelKindView.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ModelKindView.h
  ${CMAKE_CURRENT_LIST_DIR}/Task.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Task.h
  ${CMAKE_CURRENT_LIST_DIR}/TaskBar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/TaskBar.h
  ${CMAKE_CURRENT_LIST_DIR}/TaskHandle.cpp
  ${CMAKE_CURRENT_LIST_DIR}/TaskHandle.h
  ${CMAKE_CURRENT_LIST_DIR}/WorkerTypes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/WorkerTypes.h
)

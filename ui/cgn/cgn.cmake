# The CGN mixer (Sauer & Geiger): mechanisms, counterfactual grids, dataset export.
target_sources(lx_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/CgnDatasetDialog.cpp
  ${CMAKE_CURRENT_LIST_DIR}/CgnDatasetDialog.h
  ${CMAKE_CURRENT_LIST_DIR}/CgnGridCanvas.cpp
  ${CMAKE_CURRENT_LIST_DIR}/CgnGridCanvas.h
  ${CMAKE_CURRENT_LIST_DIR}/CgnGridView.cpp
  ${CMAKE_CURRENT_LIST_DIR}/CgnGridView.h
  ${CMAKE_CURRENT_LIST_DIR}/CgnMechanismPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/CgnMechanismPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/CgnMixerView.cpp
  ${CMAKE_CURRENT_LIST_DIR}/CgnMixerView.h
  ${CMAKE_CURRENT_LIST_DIR}/CgnStateCommand.h
  ${CMAKE_CURRENT_LIST_DIR}/CgnTasks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/CgnTasks.h
  ${CMAKE_CURRENT_LIST_DIR}/CgnTypes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/CgnTypes.h
)

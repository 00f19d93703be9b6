# The hybrid workbench: model, layer, channels, seeds and interventions, and the state they edit.
target_sources(lx_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ChannelPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ChannelPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/HybridTasks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/HybridTasks.h
  ${CMAKE_CURRENT_LIST_DIR}/HybridTypes.h
  ${CMAKE_CURRENT_LIST_DIR}/InterventionPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/InterventionPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/LayerPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/LayerPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/ModelPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ModelPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/SeedPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/SeedPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/StateCommand.h
  ${CMAKE_CURRENT_LIST_DIR}/WorkbenchState.cpp
  ${CMAKE_CURRENT_LIST_DIR}/WorkbenchState.h
)

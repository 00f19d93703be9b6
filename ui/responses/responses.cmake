# Latent responses (Leeb et al.): response matrix, response maps, conditioned responses, latent sliders.
target_sources(lx_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ConditionedPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ConditionedPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/LatentSlidersPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/LatentSlidersPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/ResponseMapPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ResponseMapPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/ResponseMapQuad.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ResponseMapQuad.h
  ${CMAKE_CURRENT_LIST_DIR}/ResponseMatrixFile.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ResponseMatrixFile.h
  ${CMAKE_CURRENT_LIST_DIR}/ResponseMatrixPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ResponseMatrixPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/ResponseSourceBar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ResponseSourceBar.h
  ${CMAKE_CURRENT_LIST_DIR}/ResponseTasks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ResponseTasks.h
  ${CMAKE_CURRENT_LIST_DIR}/ResponseTypes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ResponseTypes.h
  ${CMAKE_CURRENT_LIST_DIR}/ResponsesView.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ResponsesView.h
)

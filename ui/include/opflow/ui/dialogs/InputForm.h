// InputForm: a form generated from an operation's input declarations (model::InputSpec):
// text -> a line edit, integer -> a spin box, number -> a decimal spin box (both within
// the declared min/max), boolean -> a check box, an enum -> a combo box of its values,
// object/array -> a JSON text field. Defaults are filled in; an optional input without a
// default can stay "not set". Inputs given from outside (the order of an order operation)
// are shown read-only. Descriptions are tooltips and a line under the editor.
//
// Every edit checks the values with core's model::resolveInputs (the engine's own check
// at start) and shows each problem under the editor of its input; the form is valid when
// core finds none. showProblems() puts the problems of a refused start in the same places.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"
#include "opflow/model/InputSpec.h"

#include <QWidget>

#include <map>
#include <string>
#include <vector>

class QLabel;

namespace opflow::ui {

class InputForm : public QWidget {
  Q_OBJECT

public:
  // `fixed` (an object) gives the inputs that are not for the user to change.
  InputForm(std::vector<model::InputSpec> inputs, Json fixed, QWidget* parent = nullptr);

  // The inputs as entered (the fixed ones included; an input left "not set" is absent).
  [[nodiscard]] Json values() const;
  [[nodiscard]] bool isValid() const { return m_valid; }
  // The problem shown for input `name` ("" when none).
  [[nodiscard]] QString problemOf(const std::string& name) const;
  // The problems that belong to no input of the form.
  [[nodiscard]] QString generalProblems() const;
  // The editor of input `name`, or null.
  [[nodiscard]] QWidget* editorOf(const std::string& name) const;
  // Whether the form has anything for the user to enter.
  [[nodiscard]] bool hasEditableInputs() const;

  // Shows `problems` (pointers "/inputs/<name>", as core reports them).
  void showProblems(const std::vector<Problem>& problems);

signals:
  void validityChanged(bool valid);

private:
  struct Field {
    model::InputSpec spec;
    QWidget* editor = nullptr;
    QLabel* problem = nullptr;
    bool fixed = false;
  };

  [[nodiscard]] QWidget* makeEditor(const Field& field);
  // The field's value; nullopt when not set, a problem text when it cannot be read.
  [[nodiscard]] std::optional<Json> valueOf(const Field& field, QString& unreadable) const;
  void validate();

  std::vector<Field> m_fields;
  Json m_fixed;
  QLabel* m_general = nullptr;
  bool m_valid = false;
};

} // namespace opflow::ui

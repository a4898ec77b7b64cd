package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// browser plays the shopper's web browser over plain HTTP: it reads the forms of a page and
// submits them as a browser would (the auto-submitting ones by script, the cashier's by the
// shopper's click). It keeps no cookies, like the pages it visits expect.
type browser struct {
	client *http.Client
}

// htmlForm is a form of a page: where it posts, and the name=value pairs it would submit.
type htmlForm struct {
	id      string
	action  string // resolved against the page's URL
	method  string
	fields  url.Values
	buttons map[string][2]string // submit buttons by id: name and value
}

// submit posts the form as if the button with id buttonID (none if "") was clicked, with
// overrides replacing field values the shopper typed, and returns the next page.
func (b *browser) submit(ctx context.Context, f *htmlForm, buttonID string, overrides url.Values) (*page, error) {
	values := url.Values{}
	for k, v := range f.fields {
		values[k] = append([]string(nil), v...)
	}
	maps.Copy(values, overrides)
	if buttonID != "" {
		btn, ok := f.buttons[buttonID]
		if !ok {
			return nil, fmt.Errorf("the form has no button %q", buttonID)
		}
		if btn[0] != "" {
			values.Set(btn[0], btn[1])
		}
	}
	if !strings.EqualFold(f.method, http.MethodPost) {
		return nil, fmt.Errorf("form %q uses method %q; only POST forms are expected here", f.id, f.method)
	}
	return b.post(ctx, f.action, values)
}

// get opens target and reads the answer as a page.
func (b *browser) get(ctx context.Context, target string) (*page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	return b.do(req)
}

// post sends values as a form to target and reads the answer as a page.
func (b *browser) post(ctx context.Context, target string, values url.Values) (*page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(values.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) do(req *http.Request) (*page, error) {
	target := req.URL.String()
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %s", target, resp.Status)
	}
	return parsePage(resp.Request.URL, body)
}

// page is an HTML page the browser received.
type page struct {
	url   *url.URL
	text  string // the visible text, white space collapsed
	forms []*htmlForm
	ids   map[string]string // text of elements with an id
}

// form returns the page's form with the given id, or its only form when id is "".
func (p *page) form(id string) (*htmlForm, error) {
	for _, f := range p.forms {
		if f.id == id || id == "" && len(p.forms) == 1 {
			return f, nil
		}
	}
	return nil, fmt.Errorf("no form %q on the page %s (it says: %.200s)", id, p.url, p.text)
}

// parsePage reads the forms, their inputs and buttons, and the text of a page.
func parsePage(base *url.URL, body []byte) (*page, error) {
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		return nil, err
	}
	p := &page{url: base, ids: map[string]string{}}
	var text []string
	var walk func(n *html.Node, form *htmlForm)
	walk = func(n *html.Node, form *htmlForm) {
		switch {
		case n.Type == html.TextNode && strings.TrimSpace(n.Data) != "":
			text = append(text, strings.TrimSpace(n.Data))
		case n.Type == html.ElementNode && n.Data == "script":
			return
		case n.Type == html.ElementNode && n.Data == "form":
			form = &htmlForm{id: attr(n, "id"), method: attr(n, "method"), fields: url.Values{},
				buttons: map[string][2]string{}}
			if form.method == "" {
				form.method = http.MethodGet
			}
			action, err := base.Parse(attr(n, "action"))
			if err == nil {
				form.action = action.String()
			}
			p.forms = append(p.forms, form)
		case n.Type == html.ElementNode && n.Data == "input" && form != nil && attr(n, "name") != "":
			if t := attr(n, "type"); t != "submit" && t != "button" {
				form.fields.Add(attr(n, "name"), attr(n, "value"))
			}
		case n.Type == html.ElementNode && n.Data == "button" && form != nil:
			form.buttons[attr(n, "id")] = [2]string{attr(n, "name"), attr(n, "value")}
		}
		if n.Type == html.ElementNode && attr(n, "id") != "" {
			p.ids[attr(n, "id")] = textOf(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, form)
		}
	}
	walk(doc, nil)
	p.text = strings.Join(text, " ")
	return p, nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
